//! Shared test fixtures (tests only, any stage): hand-built pages and plans, a small plan
//! with one of each element, and a plan shaped like the reference plan (6 epics, 21
//! tasks) for previews. They are model values, so the tests of analysis, render and
//! output can share them without importing one another.

use std::path::PathBuf;

use crate::ingest::duration::parse_duration;
use crate::model::duration::DayLength;
use crate::model::plan::{
    BdCreate, Claim, Criterion, CriterionMarker, CriticalPath, DependencyMap, DurationField, Epic,
    Eta, LabelledText, MetricGroup, NamedList, NamedValue, Plan, Priority, PriorityClaim,
    PriorityField, Task, Text, Timeline, TimelineDay, TimelineSlot,
};
use crate::model::{FrontMatter, Page, PageDiagrams, PageKind, Span};

/// A small deterministic pseudo-random sequence (a 64-bit linear congruential
/// generator), for tests that try many shapes of input: random, but the same on every
/// run, and no dependency.
pub(crate) struct Lcg(pub u64);

impl Lcg {
    /// A number in `0..n` (`n` > 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

pub(crate) fn text(value: &str) -> Text {
    Text {
        text: value.to_string(),
        span: Span::default(),
    }
}

fn at_line(line: u32) -> Span {
    Span::point(0, line, 1)
}

/// A page of the given kind, with a markdown body that starts with its title heading.
pub(crate) fn document_page(kind: PageKind, output: &str, title: &str) -> Page {
    Page {
        source: PathBuf::from(format!("content/{}.md", title.to_lowercase())),
        kind,
        front_matter: FrontMatter::default(),
        text: format!("# {title}\n\nSome *text* about {title}.\n").into(),
        body_start: 0,
        title: title.to_string(),
        output: PathBuf::from(output),
        plan: None,
        runbook: None,
        diagrams: PageDiagrams::default(),
    }
}

/// `pages` as a project holds them.
pub(crate) fn shared_pages(pages: Vec<Page>) -> Vec<std::sync::Arc<Page>> {
    pages.into_iter().map(std::sync::Arc::new).collect()
}

/// A plan page at `plans/<slug>/index.html` carrying `plan`.
pub(crate) fn plan_page(slug: &str, plan: Plan) -> Page {
    let title = plan
        .title
        .as_ref()
        .map_or_else(|| slug.to_string(), |t| t.text.clone());
    Page {
        source: PathBuf::from(format!("content/plans/{slug}.md")),
        kind: PageKind::Plan,
        front_matter: FrontMatter::default(),
        text: format!("# {title}\n").into(),
        body_start: 0,
        title,
        output: PathBuf::from(format!("plans/{slug}/index.html")),
        plan: Some(plan),
        runbook: None,
        diagrams: PageDiagrams::default(),
    }
}

pub(crate) struct TaskSpec<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub priority: u8,
    pub eta: Option<(&'a str, Option<u32>)>,
    pub impact: &'a str,
    pub fields: &'a [(&'a str, &'a str)],
    pub lists: &'a [(&'a str, bool, &'a [&'a str])],
}

pub(crate) fn task(epic: u32, spec: &TaskSpec) -> Task {
    Task {
        id: spec.id.to_string(),
        epic,
        label: None,
        creation: BdCreate {
            title: spec.title.to_string(),
            issue_type: "task".into(),
            priority: Some(Priority(spec.priority)),
            span: Span::default(),
        },
        eta: spec.eta.map(|(raw, minutes)| {
            let duration = parse_duration(raw);
            let read = duration
                .as_ref()
                .map(|d| d.whole_minutes(DayLength::STANDARD_WORKDAY));
            assert_eq!(
                read, minutes,
                "the fixture's ETA {raw:?} reads as its minutes"
            );
            Eta {
                raw: raw.to_string(),
                duration,
                span: Span::default(),
            }
        }),
        impact: (!spec.impact.is_empty()).then(|| text(spec.impact)),
        fields: spec
            .fields
            .iter()
            .map(|(name, value)| NamedValue {
                name: name.to_string(),
                value: value.to_string(),
                span: Span::default(),
            })
            .collect(),
        lists: spec
            .lists
            .iter()
            .map(|(name, ordered, items)| NamedList {
                name: name.to_string(),
                ordered: *ordered,
                items: items.iter().map(|item| text(item)).collect(),
                span: Span::default(),
            })
            .collect(),
        notes: Vec::new(),
        span: at_line(20),
    }
}

pub(crate) fn criterion(value: &str, checked: bool) -> Criterion {
    Criterion {
        text: value.to_string(),
        checked,
        marker: CriterionMarker::CheckEmoji,
        span: Span::default(),
    }
}

pub(crate) fn epic(number: u32, title: &str, priority: (u8, &str), duration: &str) -> Epic {
    Epic {
        number,
        title: title.to_string(),
        marker: None,
        priority: Some(PriorityField {
            level: Priority(priority.0),
            raw: priority.1.to_string(),
            span: Span::default(),
        }),
        duration: Some(duration_field(duration)),
        impact: Some(text("Fix security vulnerabilities + free 600MB RAM")),
        creation: None,
        tasks: Vec::new(),
        success_criteria: Vec::new(),
        span: at_line(10 * number),
    }
}

/// `2 days`, `4 hours`: the duration the plan reader would give.
fn duration_field(raw: &str) -> DurationField {
    DurationField {
        raw: raw.to_string(),
        duration: parse_duration(raw).expect("the fixture's duration is readable"),
        span: Span::default(),
    }
}

fn slot(name: &str, items: &[&str]) -> TimelineSlot {
    TimelineSlot {
        name: name.to_string(),
        items: items.iter().map(|item| text(item)).collect(),
        span: Span::default(),
    }
}

pub(crate) fn day(number: u32, title: &str, priority: u8, slots: Vec<TimelineSlot>) -> TimelineDay {
    TimelineDay {
        number,
        title: title.to_string(),
        priority: Some(Priority(priority)),
        slots,
        span: at_line(100 + number),
    }
}

/// Two epics, three tasks (one without an ETA), three criteria (one checked), one
/// timeline day; the first epic's title contains markup that must come out escaped.
pub(crate) fn sample_plan() -> Plan {
    let mut first = epic(
        1,
        "Security <script>alert(1)</script>",
        (0, "P0 CRITICAL"),
        "2 days",
    );
    first.tasks.push(task(
        1,
        &TaskSpec {
            id: "1.1",
            title: "Close Dokploy Dashboard Port 3000",
            priority: 0,
            eta: Some(("5 minutes", Some(5))),
            impact: "Security - prevents unauthorized access",
            fields: &[],
            lists: &[(
                "Steps",
                true,
                &["sudo ufw delete allow 3000/tcp", "Verify: ufw status"],
            )],
        },
    ));
    first.tasks.push(task(
        1,
        &TaskSpec {
            id: "1.2",
            title: "Add Security Scanning to CI/CD",
            priority: 1,
            eta: Some(("30 minutes", Some(30))),
            impact: "",
            fields: &[],
            lists: &[],
        },
    ));
    first.success_criteria = vec![criterion("Port closed", true), criterion("CI scans", false)];
    let mut second = epic(2, "Production", (1, "P1 HIGH"), "1 day");
    second.tasks.push(task(
        2,
        &TaskSpec {
            id: "2.1",
            title: "Deploy",
            priority: 1,
            eta: Some(("soon", None)),
            impact: "",
            fields: &[("Command", "rm .github/workflows/deploy-kamal.yml")],
            lists: &[],
        },
    ));
    second.success_criteria = vec![criterion("Production live", false)];
    Plan {
        title: Some(text("Sample Plan")),
        epics: vec![first, second],
        timeline: Some(Timeline {
            title: "Execution Timeline (1 Day)".into(),
            days: vec![day(
                1,
                "Security",
                0,
                vec![
                    slot("Morning", &["Close port", "Install pgvector"]),
                    slot("Afternoon", &["Add scanning"]),
                ],
            )],
            span: Span::default(),
        }),
        ..Plan::default()
    }
}

/// A plan shaped like the reference plan: 6 epics, 21 tasks, a 7-day timeline, the
/// dependency map, the critical path, metrics and closing notes.
pub(crate) fn reference_like_plan() -> Plan {
    let mut plan = Plan {
        title: Some(text(
            "DevOps Optimization Epic Tasks - Beads Management Plan",
        )),
        created: Some(text("2025-12-23")),
        based_on: Some(text("DEVOPS_INFRASTRUCTURE_AUDIT_2025-12-23.md")),
        overview: Some(text(REFERENCE_OVERVIEW)),
        epics: reference_epics(),
        timeline: Some(reference_timeline()),
        dependency_map: Some(DependencyMap {
            title: "Dependencies Map".into(),
            source: REFERENCE_MERMAID.into(),
            span: Span::default(),
            graph: None,
        }),
        critical_path: Some(CriticalPath {
            items: vec![
                text("Epic 1 (Security) → Epic 2 (Production) → Epic 5 (CI/CD) → Epic 6 (Backup)"),
                text("Epic 3 (Monitoring) can run in parallel after Day 1"),
            ],
            epics: vec![1, 2, 5, 6],
            span: Span::default(),
        }),
        metrics: reference_metrics(),
        final_target: Some(LabelledText {
            label: "Final Grade Target".into(),
            text: "B+ → A (Production-ready)".into(),
            span: Span::default(),
        }),
        notes: vec![LabelledText {
            label: "Next Action".into(),
            text: "Run beads commands manually to create all tasks, then execute Day 1 plan."
                .into(),
            span: Span::default(),
        }],
        ..Plan::default()
    };
    plan.claimed.epics = Some(Claim {
        value: 6,
        span: Span::default(),
    });
    plan.claimed.tasks = Some(Claim {
        value: 24,
        span: Span::default(),
    });
    for (level, label, tasks) in [(0, "Critical", 11), (1, "High", 10), (2, "Medium", 3)] {
        plan.claimed.priorities.push(PriorityClaim {
            priority: Priority(level),
            label: label.into(),
            tasks,
            percent: None,
            span: Span::default(),
        });
    }
    plan
}

const REFERENCE_OVERVIEW: &str = "📊 Priority Distribution:
- P0 (Critical): 11 tasks (46%)
- P1 (High):     10 tasks (42%)
- P2 (Medium):   3 tasks (12%)

⏱️ Estimated Timeline:
- Week 1: P0 tasks (Security + Production)
- Week 2: P1 tasks (Monitoring + CI/CD)
- Week 3: P2 tasks (Long-term improvements)";

const REFERENCE_MERMAID: &str = "graph TD
    E1[Epic 1: Security] --> E2[Epic 2: Production]
    E2 --> E5[Epic 5: CI/CD]
    E3[Epic 3: Monitoring] --> E6[Epic 6: Backup]
    E4[Epic 4: Database] -.-> E2
    E5 --> E6
    E1 -->|Free RAM| E3
    E2 -->|pgvector| E4";

type EpicSpec<'a> = (
    u32,
    &'a str,
    &'a str,
    (u8, &'a str),
    &'a str,
    &'a [TaskSpec<'a>],
);

fn reference_epics() -> Vec<Epic> {
    let specs: &[EpicSpec] = &[
        (1, "Security Hardening & Critical Fixes", "🔴", (0, "P0 CRITICAL"), "2 days", &[
            TaskSpec { id: "1.1", title: "Close Dokploy Dashboard Port 3000", priority: 0, eta: Some(("5 minutes", Some(5))), impact: "Security - prevents unauthorized access", fields: &[], lists: &[("Steps", true, &["ssh deployer@103.54.153.248", "sudo ufw delete allow 3000/tcp", "Verify: ufw status"])] },
            TaskSpec { id: "1.2", title: "Add Security Scanning to CI/CD", priority: 0, eta: Some(("30 minutes", Some(30))), impact: "Auto-detect vulnerabilities", fields: &[], lists: &[("Implementation", false, &["Add Trivy container scanning", "Add npm audit to CI", "Upload results to GitHub Security"])] },
            TaskSpec { id: "1.3", title: "Audit & Rotate Secrets in Git History", priority: 0, eta: Some(("1 hour", Some(60))), impact: "Prevent leaked secrets", fields: &[], lists: &[("Steps", true, &["git log --all --full-history -- .env", "If found: BFG Repo-Cleaner", "Rotate all secrets immediately", "Update .gitignore"])] },
            TaskSpec { id: "1.4", title: "Configure Cloudflare WAF Rules", priority: 1, eta: Some(("30 minutes", Some(30))), impact: "Block common attacks (SQLi, XSS)", fields: &[], lists: &[("Steps", true, &["Cloudflare Dashboard → Security → WAF", "Enable OWASP Core ruleset", "Rate limiting: 100 req/min per IP"])] },
        ]),
        (2, "Production Environment Deployment", "🚀", (0, "P0 CRITICAL"), "1 day", &[
            TaskSpec { id: "2.1", title: "Add Production Config to dokploy.yaml", priority: 0, eta: Some(("30 minutes", Some(30))), impact: "Enable production deployments", fields: &[], lists: &[("Config", false, &["Branch: main", "Domain: api.v-edfinance.com", "Resources: 1536MB RAM, 1.5 CPU", "Replicas: 2"])] },
            TaskSpec { id: "2.2", title: "Install pgvector Extension on PostgreSQL", priority: 0, eta: Some(("10 minutes", Some(10))), impact: "Unlock AI features (semantic search, embeddings)", fields: &[], lists: &[("Steps", true, &["docker exec -it vedfinance-postgres bash", "apt-get update && apt-get install -y postgresql-17-pgvector", "psql -U postgres -c \"CREATE EXTENSION vector;\"", "Verify: \\dx in psql"])] },
            TaskSpec { id: "2.3", title: "Increase Production Resource Limits", priority: 0, eta: Some(("15 minutes", Some(15))), impact: "Prevent OOM under load", fields: &[], lists: &[("Changes", false, &["api-production: 1536MB (was 768MB)", "web-production: 1024MB (was 768MB)"])] },
            TaskSpec { id: "2.4", title: "Deploy Production Environment to VPS", priority: 0, eta: Some(("1 hour", Some(60))), impact: "Launch production", fields: &[], lists: &[("Steps", true, &["Update dokploy.yaml", "Push to main branch", "Monitor deployment", "Run smoke tests", "Verify DNS propagation"])] },
        ]),
        (3, "Monitoring Stack Optimization", "📊", (0, "P0 CRITICAL (resource saving)"), "3 hours", &[
            TaskSpec { id: "3.1", title: "Remove Redundant Monitoring Tools (Glances, Beszel)", priority: 0, eta: Some(("15 minutes", Some(15))), impact: "Free 600MB RAM", fields: &[], lists: &[("Steps", true, &["docker stop v-edfinance-glances v-edfinance-beszel v-edfinance-beszel-agent", "docker rm v-edfinance-glances v-edfinance-beszel v-edfinance-beszel-agent", "Update docker-compose.monitoring.yml", "Verify RAM freed: free -h"])] },
            TaskSpec { id: "3.2", title: "Add Prometheus + Grafana for Metrics", priority: 1, eta: Some(("1 hour", Some(60))), impact: "Long-term metrics (30 days)", fields: &[("Resources", "256MB RAM, 0.25 CPU each")], lists: &[("Config", false, &["Prometheus: scrape every 30s", "Grafana: admin dashboard", "Retention: 30 days"])] },
            TaskSpec { id: "3.3", title: "Configure Grafana Dashboards", priority: 1, eta: Some(("1 hour", Some(60))), impact: "Visual metrics", fields: &[], lists: &[("Dashboards", true, &["System overview (CPU, RAM, Disk)", "PostgreSQL metrics (connections, queries/sec)", "API performance (latency, errors)", "Container stats (per-service resources)"])] },
        ]),
        (4, "Database Triple-ORM Hardening", "🗄️", (1, "P1 HIGH"), "2 days", &[
            TaskSpec { id: "4.1", title: "Add Schema Sync Verification to CI", priority: 1, eta: Some(("1 hour", Some(60))), impact: "Prevent Prisma/Drizzle/Kysely drift", fields: &[], lists: &[("CI Job", false, &["pnpm prisma generate", "pnpm drizzle-kit generate:pg", "pnpm kysely-codegen", "git diff --exit-code (fail if uncommitted changes)"])] },
            TaskSpec { id: "4.2", title: "Enable pg_stat_statements in PostgreSQL", priority: 1, eta: Some(("20 minutes", Some(20))), impact: "Query performance tracking", fields: &[], lists: &[("Steps", true, &["Create init-pg-stat.sql", "Add to postgres volumes", "Restart container", "Verify: SELECT * FROM pg_stat_statements LIMIT 1;"])] },
            TaskSpec { id: "4.3", title: "Run Database Architect Weekly Scan", priority: 2, eta: Some(("30 minutes setup, then automated", Some(30))), impact: "Autonomous query optimization", fields: &[], lists: &[("Cron", false, &["Every Monday 9AM", "Analyze slow queries", "Generate index recommendations", "Create beads tasks for manual fixes"])] },
        ]),
        (5, "CI/CD Pipeline Optimization", "⚡", (1, "P1 HIGH"), "1 day", &[
            TaskSpec { id: "5.1", title: "Parallelize Build Workflows", priority: 1, eta: Some(("30 minutes", Some(30))), impact: "4 minutes faster (50% reduction)", fields: &[], lists: &[("Changes", false, &["Split build-api and build-web into separate jobs", "Run tests in parallel with builds", "Use GitHub Actions matrix strategy"])] },
            TaskSpec { id: "5.2", title: "Add Post-Deployment Smoke Tests", priority: 1, eta: Some(("20 minutes", Some(20))), impact: "Catch deployment failures early", fields: &[], lists: &[("Tests", false, &["curl -f https://api.v-edfinance.com/health", "curl -f https://v-edfinance.com", "Rollback on failure"])] },
            TaskSpec { id: "5.3", title: "Remove Unused Kamal Workflow", priority: 2, eta: Some(("2 minutes", Some(2))), impact: "Reduce confusion", fields: &[("Command", "rm .github/workflows/deploy-kamal.yml")], lists: &[] },
        ]),
        (6, "Backup & Disaster Recovery", "💾", (1, "P1 HIGH"), "4 hours", &[
            TaskSpec { id: "6.1", title: "Automated Weekly Backup Restore Testing", priority: 0, eta: Some(("2 hours", Some(120))), impact: "Verify backups actually work", fields: &[], lists: &[("Workflow", false, &["Weekly Sunday 5AM", "Download latest R2 backup", "Restore to test postgres container", "Verify table counts", "Alert on failure"])] },
            TaskSpec { id: "6.2", title: "Verify R2 Backup Encryption", priority: 1, eta: Some(("30 minutes", Some(30))), impact: "Security compliance", fields: &[], lists: &[("Tests", false, &["Download backup", "Verify openssl enc'd data", "Test decryption with key"])] },
            TaskSpec { id: "6.3", title: "Create DR Runbook Documentation", priority: 1, eta: Some(("2 hours", Some(120))), impact: "Faster recovery (30min RTO)", fields: &[], lists: &[("Scenarios", true, &["VPS hardware failure", "Database corruption", "Accidental data deletion"])] },
            TaskSpec { id: "6.4", title: "Implement Backup Retention Policy", priority: 2, eta: Some(("1 hour", Some(60))), impact: "Cost optimization + compliance", fields: &[], lists: &[("Policy", false, &["Daily: 7 days", "Weekly: 4 weeks", "Monthly: 12 months"])] },
        ]),
    ];
    specs
        .iter()
        .map(|(number, title, marker, priority, duration, tasks)| {
            let mut epic = epic(*number, title, *priority, duration);
            epic.marker = Some(marker.to_string());
            epic.tasks = tasks.iter().map(|spec| task(*number, spec)).collect();
            epic.success_criteria = vec![
                criterion("Dokploy accessible only via SSH tunnel", false),
                criterion("CI fails on high/critical vulnerabilities", false),
                criterion("No secrets in git history", *number == 1),
            ];
            epic
        })
        .collect()
}

fn reference_timeline() -> Timeline {
    let days = [
        (
            1,
            "Security & Critical",
            0,
            [
                "Close Dokploy port",
                "Install pgvector",
                "Remove redundant monitoring (free 600MB)",
            ]
            .as_slice(),
            [
                "Add security scanning to CI",
                "Audit secrets in git history",
            ]
            .as_slice(),
        ),
        (
            2,
            "Production Environment",
            0,
            &[
                "Add production config to dokploy.yaml",
                "Increase resource limits",
            ],
            &[
                "Deploy production environment",
                "Run smoke tests",
                "Verify health checks",
            ],
        ),
        (
            3,
            "Monitoring Upgrade",
            1,
            &["Add Prometheus + Grafana"],
            &["Configure Grafana dashboards", "Set up alerting rules"],
        ),
        (
            4,
            "Database Hardening",
            1,
            &[
                "Add schema sync verification to CI",
                "Enable pg_stat_statements",
            ],
            &["Set up weekly DB Architect scan"],
        ),
        (
            5,
            "CI/CD Optimization",
            1,
            &["Parallelize build workflows"],
            &[
                "Add post-deployment smoke tests",
                "Remove unused Kamal workflow",
            ],
        ),
        (
            6,
            "Backup & DR",
            1,
            &[
                "Implement automated backup restore testing",
                "Verify R2 encryption",
            ],
            &["Create DR runbook documentation"],
        ),
        (
            7,
            "P2 Tasks + Buffer",
            2,
            &[
                "Implement backup retention policy",
                "Configure Cloudflare WAF",
            ],
            &["Final testing", "Documentation updates"],
        ),
    ];
    Timeline {
        title: "Execution Timeline (7 Days)".into(),
        days: days
            .iter()
            .map(|(number, title, priority, morning, afternoon)| {
                day(
                    *number,
                    title,
                    *priority,
                    vec![slot("Morning", morning), slot("Afternoon", afternoon)],
                )
            })
            .collect(),
        span: Span::default(),
    }
}

fn reference_metrics() -> Vec<MetricGroup> {
    let group = |title: &str, week: u32, items: &[&str]| MetricGroup {
        title: title.to_string(),
        week: Some(week),
        items: items.iter().map(|item| criterion(item, false)).collect(),
        span: Span::default(),
    };
    vec![
        group(
            "Week 1 Targets",
            1,
            &[
                "Production environment live",
                "600MB RAM freed",
                "Security vulnerabilities = 0",
                "pgvector enabled",
            ],
        ),
        group(
            "Week 2 Targets",
            2,
            &[
                "CI/CD runtime: -50%",
                "Monitoring: 30-day retention",
                "Backup restore tests: passing",
            ],
        ),
    ]
}
