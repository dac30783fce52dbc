//! What `serve` keeps from one build to the next to skip work: the pages it read
//! (`ingest::page_memo`) and the pages it rendered (`render::page_memo`), each under a
//! key hashing everything it was made from. A build takes what it finds under the same
//! key and makes the rest; what it neither found nor made (a deleted page) is let go when
//! it ends, so a memo holds one build's worth.
//!
//! Keys live in one process only, so the hash need not be stable across versions; two
//! SipHash streams started apart give 128 bits, so two different inputs sharing a key is
//! not a practical worry.

use std::collections::HashMap;
use std::fmt::{self, Debug, Write as _};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// A hash of everything one kept thing was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoKey(u128);

/// Things made in the last build, by path, each under the key it was made with.
#[derive(Debug)]
pub struct Memo<V> {
    /// Shared, so a build that reuses a thing copies nothing: what is kept stays where
    /// it was allocated, build after build.
    kept: Mutex<HashMap<PathBuf, (MemoKey, Arc<V>)>>,
    /// What the last round did.
    last: Mutex<MemoCounts>,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo {
            kept: Mutex::default(),
            last: Mutex::default(),
        }
    }
}

/// How many things a build took from a memo and how many it made anew.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemoCounts {
    pub reused: usize,
    pub made: usize,
}

impl<V> Memo<V> {
    /// Starts a build's round: what is kept can be found, and only what this round finds
    /// or keeps stays once it ends.
    pub fn round(&self) -> MemoRound<'_, V> {
        let previous = std::mem::take(&mut *lock(&self.kept));
        MemoRound {
            memo: self,
            previous: Mutex::new(previous),
            next: Mutex::new(HashMap::new()),
            counts: Mutex::default(),
        }
    }

    /// What the last build's round did.
    pub fn last_counts(&self) -> MemoCounts {
        *lock(&self.last)
    }

    /// Whether nothing is kept (no build yet, or none that kept anything).
    pub fn is_empty(&self) -> bool {
        lock(&self.kept).is_empty()
    }

    /// How many things are kept.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        lock(&self.kept).len()
    }
}

/// One build's use of a memo; what it found and kept becomes the memo when it drops.
pub struct MemoRound<'a, V> {
    memo: &'a Memo<V>,
    previous: Mutex<HashMap<PathBuf, (MemoKey, Arc<V>)>>,
    next: Mutex<HashMap<PathBuf, (MemoKey, Arc<V>)>>,
    counts: Mutex<MemoCounts>,
}

impl<V> MemoRound<'_, V> {
    /// The thing kept at `path` under `key`, if it is still the same.
    pub fn find(&self, path: &Path, key: MemoKey) -> Option<Arc<V>> {
        self.find_if(path, |kept_key, _| kept_key == key)
    }

    /// The thing kept at `path` if `still_good` accepts it (given the key it was kept
    /// under), kept again under that key. A thing it refuses stays findable in this
    /// round, for a `find` by a key that takes longer to make.
    pub fn find_if(
        &self,
        path: &Path,
        still_good: impl FnOnce(MemoKey, &V) -> bool,
    ) -> Option<Arc<V>> {
        let mut previous = lock(&self.previous);
        let (key, value) = match previous.get(path) {
            Some((key, value)) if still_good(*key, value) => (*key, Arc::clone(value)),
            _ => return None,
        };
        previous.remove(path);
        drop(previous);
        lock(&self.counts).reused += 1;
        lock(&self.next).insert(path.to_path_buf(), (key, Arc::clone(&value)));
        Some(value)
    }

    /// What the last build kept at `path`, if this round has not taken it: something
    /// just made can be compared with it, and share its parts when they are equal.
    pub fn last_kept(&self, path: &Path) -> Option<Arc<V>> {
        lock(&self.previous)
            .get(path)
            .map(|(_, value)| Arc::clone(value))
    }

    /// Keeps a thing just made for the next build, and hands it back shared. It counts
    /// as made unless this round found a thing at `path` already (and `value` only
    /// updates it).
    pub fn keep(&self, path: &Path, key: MemoKey, value: V) -> Arc<V> {
        self.keep_shared(path, key, Arc::new(value))
    }

    /// `keep` for a thing already shared (one the last build kept, now under a new key).
    pub fn keep_shared(&self, path: &Path, key: MemoKey, value: Arc<V>) -> Arc<V> {
        let replaced = lock(&self.next).insert(path.to_path_buf(), (key, Arc::clone(&value)));
        if replaced.is_none() {
            lock(&self.counts).made += 1;
        }
        value
    }
}

impl<V> Drop for MemoRound<'_, V> {
    fn drop(&mut self) {
        *lock(&self.memo.kept) = std::mem::take(&mut *lock(&self.next));
        *lock(&self.memo.last) = *lock(&self.counts);
    }
}

/// The value behind `mutex`, even if a thread panicked while holding it (the maps are
/// only ever inserted into, removed from or taken whole).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Builds one key.
pub struct KeyHasher {
    first: DefaultHasher,
    second: DefaultHasher,
}

impl Default for KeyHasher {
    fn default() -> Self {
        KeyHasher::new()
    }
}

impl KeyHasher {
    pub fn new() -> KeyHasher {
        let mut second = DefaultHasher::new();
        second.write_u64(0x9e37_79b9_7f4a_7c15);
        KeyHasher {
            first: DefaultHasher::new(),
            second,
        }
    }

    pub fn add<T: Hash + ?Sized>(&mut self, value: &T) {
        value.hash(&mut self.first);
        value.hash(&mut self.second);
    }

    /// Hashes the value's `Debug` text, for model types that do not implement `Hash`
    /// (their `Debug` shows every field); the text is fed through, never kept.
    pub fn add_debug(&mut self, value: &dyn Debug) {
        // Writing into a hasher cannot fail.
        let _ = write!(DebugFeed(self), "{value:?}");
        self.add(&0xffu8);
    }

    pub fn finish(&self) -> MemoKey {
        MemoKey((u128::from(self.first.finish()) << 64) | u128::from(self.second.finish()))
    }
}

struct DebugFeed<'a>(&'a mut KeyHasher);

impl fmt::Write for DebugFeed<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.0.first.write(text.as_bytes());
        self.0.second.write(text.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_inputs_give_equal_keys_and_a_changed_one_another() {
        let key = |text: &str, debug: &[u32]| {
            let mut hasher = KeyHasher::new();
            hasher.add(text);
            hasher.add_debug(&debug);
            hasher.finish()
        };
        assert_eq!(key("a", &[1, 2]), key("a", &[1, 2]));
        assert_ne!(key("a", &[1, 2]), key("b", &[1, 2]));
        assert_ne!(key("a", &[1, 2]), key("a", &[1, 3]));
        // The two halves are not one hash twice.
        let both = key("a", &[1]).0;
        assert_ne!(both >> 64, both & u128::from(u64::MAX));
    }

    #[test]
    fn a_thing_is_found_under_its_key_only_and_what_a_round_did_not_use_is_let_go() {
        let memo = Memo::default();
        let key = |n: u32| {
            let mut hasher = KeyHasher::new();
            hasher.add(&n);
            hasher.finish()
        };
        let (a, b) = (Path::new("a"), Path::new("b"));
        {
            let round = memo.round();
            round.keep(a, key(1), "a1");
            round.keep(b, key(2), "b2");
        }
        assert_eq!(memo.len(), 2);
        {
            let round = memo.round();
            assert_eq!(round.find(a, key(1)).as_deref(), Some(&"a1"));
            assert_eq!(round.find(b, key(3)), None);
            round.keep(b, key(3), "b3");
        }
        assert_eq!(memo.last_counts(), MemoCounts { reused: 1, made: 1 });
        // `b` was not found under its key, so the one made now replaced it.
        assert_eq!(memo.len(), 2);
        assert_eq!(memo.round().find(b, key(2)), None);
        // The round before took neither `a` nor `b`: both are gone.
        assert_eq!(memo.len(), 0);
        assert_eq!(memo.round().find(a, key(1)), None);
    }
}
