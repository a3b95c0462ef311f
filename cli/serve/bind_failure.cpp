#include "serve/bind_failure.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace helpmark::cli::serve {
namespace {

/// The errno of binding `host`:`port` as the server does (SO_REUSEADDR, no SO_REUSEPORT), 0
/// when it binds now (the address was freed meanwhile), or -1 when the host does not resolve.
int bind_errno(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 || found == nullptr) return -1;
  int error = -1;
  for (addrinfo* a = found; a != nullptr && error != 0; a = a->ai_next) {
    const int sock = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (sock < 0) {
      error = errno;
      continue;
    }
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    error = ::bind(sock, a->ai_addr, a->ai_addrlen) == 0 ? 0 : errno;
    ::close(sock);
  }
  ::freeaddrinfo(found);
  return error;
}

}  // namespace

std::string bind_failure_message(const std::string& host, int port, const std::string& listen) {
  const int error = bind_errno(host, port);
  switch (error) {
    case EADDRINUSE:
      return listen + " is already in use; stop the other server or pick another --listen port";
    case EADDRNOTAVAIL:
      return "cannot listen on " + listen + ": " + host + " is not an address of this machine; use one it has (e.g. 127.0.0.1 or 0.0.0.0)";
    case EACCES:
      return "cannot listen on " + listen + ": permission denied (ports below 1024 need privileges); pick a port from 1024";
    case -1:
      return "cannot listen on " + listen + ": the host '" + host + "' does not resolve; use an IP address or a known host name";
    case 0:
      return "cannot listen on " + listen + " (it was busy a moment ago); try again";
    default:
      return "cannot listen on " + listen + ": " + std::strerror(error);
  }
}

}  // namespace helpmark::cli::serve
