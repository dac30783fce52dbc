//! A minimal HTTP/1.1 server side for `serve`, on `std::net` alone: one request per
//! connection (`Connection: close`), GET and HEAD only. It only ever listens on the
//! loopback address and serves one author's browser, so it needs none of a production
//! server's machinery, and keeping it this small keeps `serve` free of an async runtime.

use std::io::{self, BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

/// The request head is never larger than this; anything bigger is refused.
const MAX_HEAD_BYTES: usize = 16 * 1024;

/// What `serve` needs of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The path, percent-decoded, without query or fragment (`/plans/x/`).
    pub path: String,
}

/// A complete response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    pub fn redirect(location: &str) -> Response {
        let mut response = Response::new(301, "text/plain; charset=utf-8", "moved\n");
        response.headers.push(("Location".into(), location.into()));
        response
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Reads one request head. `Ok(None)` for a connection closed before a full head, or a
/// head that cannot be read as HTTP.
pub fn read_request(stream: &TcpStream) -> io::Result<Option<Request>> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut size = request_line.len();
    // Skip the header lines up to the blank line; serve needs none of them.
    loop {
        let mut line = String::new();
        let read = reader.read_line(&mut line)?;
        size += read;
        if read == 0 || size > MAX_HEAD_BYTES {
            return Ok(None);
        }
        if line == "\r\n" || line == "\n" {
            break;
        }
    }
    Ok(parse_request_line(&request_line))
}

/// `GET /a%20b/?x=1 HTTP/1.1` into method `GET` and path `/a b/`.
pub fn parse_request_line(line: &str) -> Option<Request> {
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?;
    if !parts.next()?.starts_with("HTTP/1.") {
        return None;
    }
    let path = target.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return None;
    }
    Some(Request {
        method,
        path: percent_decode(path)?,
    })
}

/// Decodes `%XX` escapes; `None` when the result is not UTF-8 or an escape is broken.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Writes the whole response and closes the exchange (`Connection: close`). A HEAD
/// request gets the head only.
pub fn write_response(
    mut stream: &TcpStream,
    response: &Response,
    head_only: bool,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        response.body.len()
    ));
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

/// Starts an open-ended `text/event-stream` response; events follow with
/// `write_event`.
pub fn start_event_stream(mut stream: &TcpStream) -> io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 1000\n\n",
    )?;
    stream.flush()
}

/// One server-sent event (`data` must be one line, e.g. JSON).
pub fn write_event(mut stream: &TcpStream, event: &str, data: &str) -> io::Result<()> {
    stream.write_all(format!("event: {event}\ndata: {data}\n\n").as_bytes())?;
    stream.flush()
}

/// A comment line that keeps the stream open and finds closed connections.
pub fn write_keep_alive(mut stream: &TcpStream) -> io::Result<()> {
    stream.write_all(b": keep-alive\n\n")?;
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_line_gives_method_and_decoded_path_without_query() {
        let request = parse_request_line("GET /runbooks/db%20restore/?q=1#x HTTP/1.1\r\n").unwrap();
        assert_eq!(request.method, "GET");
        assert_eq!(request.path, "/runbooks/db restore/");
    }

    #[test]
    fn malformed_request_lines_are_refused() {
        assert_eq!(parse_request_line("GET\r\n"), None);
        assert_eq!(parse_request_line("GET x HTTP/1.1\r\n"), None);
        assert_eq!(parse_request_line("GET /%zz HTTP/1.1\r\n"), None);
        assert_eq!(parse_request_line("GET / SMTP\r\n"), None);
    }
}
