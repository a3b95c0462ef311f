// Why `helpmark serve` cannot listen where it was asked to. httplib's bind reports only that it
// failed; a second bind of our own to the same address says why (EADDRINUSE, EADDRNOTAVAIL,
// EACCES), so the message can say what to do.
#pragma once

#include <string>

namespace helpmark::cli::serve {

/// The message for a failed bind of `host`:`port`, naming the address as the user wrote it
/// (`listen`, the --listen value), e.g. "127.0.0.1:8080 is already in use; stop the other
/// server or pick another --listen port". Thread-safe.
std::string bind_failure_message(const std::string& host, int port, const std::string& listen);

}  // namespace helpmark::cli::serve
