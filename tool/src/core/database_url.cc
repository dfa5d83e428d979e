#include "core/database_url.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <initializer_list>
#include <vector>

#include "core/error.h"
#include "core/text.h"

namespace retort {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Where the password sits in "scheme://user:password@host/...", read as
// SQLAlchemy does: the user name has no ':' or '/', the password runs to the
// last '@' (so an unencoded '/', '?' or '@' in it stays part of it).
// Returns {start, length} of the password within `url`, or npos.
std::pair<size_t, size_t> password_span(std::string_view url) {
  size_t at = url.rfind('@');
  if (at == std::string_view::npos) return {std::string_view::npos, 0};
  // The password starts after the first ':' before that '@', even when the
  // user name holds a stray '/' ("me/x:secret@host"): better to mask too much.
  size_t c = url.find(':');
  if (c == std::string_view::npos || c >= at) return {std::string_view::npos, 0};
  return {c + 1, at - c - 1};
}

bool scheme_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '.' || c == '-';
}

// A user name shown beside a masked password: nothing a typo could have
// turned into part of the password.
bool plain_user(std::string_view user) {
  for (char c : user)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' ||
          c == '%' || c == '~' || c == '+'))
      return false;
  return true;
}

bool is_port(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// A query parameter whose value is a password (password, sslpassword).
bool secret_key(std::string_view key) {
  std::string k = to_lower(percent_decode(key));
  return k.find("pass") != std::string::npos && k != "passfile";
}

// The parts of one URL as typed, valid or not, that may hold a password,
// found without relying on the URL being valid: [begin, end) spans of
// `url`, each to be shown as "***".
std::vector<std::pair<size_t, size_t>> secret_spans(std::string_view url) {
  std::vector<std::pair<size_t, size_t>> spans;
  size_t n = 0;
  while (n < url.size() && scheme_char(url[n]))
    ++n;
  // Where the user-info would start: after "scheme://", after "scheme:" and
  // any slashes ("postgresql:/u:pw@h"), after "scheme//", else at the start.
  size_t start = 0;
  bool well_formed = false;
  if (n > 0 && url.substr(n, 3) == "://") {
    start = n + 3;
    well_formed = true;
  } else if (n > 0 && n < url.size() && url[n] == ':') {
    start = n + 1;
  } else if (n > 0 && url.substr(n, 2) == "//") {
    start = n + 2;
  }
  while (!well_formed && start < url.size() && url[start] == '/')
    ++start;
  size_t at = url.rfind('@');
  size_t after_info = start;
  if (at != std::string_view::npos && at >= start) {
    // The user name stays only where nothing a typo could have made part of
    // the password hides in it; in doubt the whole user-info goes.
    std::string_view info = url.substr(start, at - start);
    size_t colon = info.find(':');
    if (well_formed && plain_user(info.substr(0, colon))) {
      if (colon != std::string_view::npos) spans.emplace_back(start + colon + 1, at);
    } else if (!info.empty()) {
      spans.emplace_back(start, at);
    }
    after_info = at + 1;
  } else {
    // No '@': whatever follows the host's ':' but a port number may be a
    // password with its '@' typed as ':' ("app:pw:host/db", "app:pwhost:5432").
    size_t host_end = start;
    if (start < url.size() && url[start] == '[') {
      host_end = url.find(']', start);
      if (host_end == std::string_view::npos) host_end = start;
    }
    size_t authority_end = std::min(url.find_first_of("/?", host_end), url.size());
    size_t colon = url.find(':', host_end);
    // The rest of the URL goes too: a password holding '/' or '?' runs on.
    if (colon < authority_end && !is_port(url.substr(colon + 1, authority_end - colon - 1))) {
      spans.emplace_back(colon + 1, url.size());
      return spans;
    }
  }
  // Query parameters naming a password keep their name and lose their
  // value; one without '=' goes whole.
  size_t q = url.find('?', after_info);
  if (q == std::string_view::npos) return spans;
  for (size_t i = q + 1; i <= url.size();) {
    size_t amp = std::min(url.find('&', i), url.size());
    std::string_view kv = url.substr(i, amp - i);
    size_t eq = kv.find('=');
    if (secret_key(kv.substr(0, eq)))
      spans.emplace_back(eq == std::string_view::npos ? i : i + eq + 1, amp);
    i = amp + 1;
  }
  return spans;
}

std::string mask_url(std::string_view url) {
  std::string out;
  size_t done = 0;
  for (auto [b, e] : secret_spans(url)) {
    out += url.substr(done, b - done);
    out += "***";
    done = e;
  }
  out += url.substr(done);
  return out;
}

// Registered as soon as the URL is read, as typed and decoded ("pa%23ss" is
// as secret as "pa#ss"), so any message quoting it, valid or not, is masked.
void register_url_secrets(std::string_view url) {
  for (auto [b, e] : secret_spans(url)) {
    register_secret(std::string(url.substr(b, e - b)));
    register_secret(percent_decode(url.substr(b, e - b)));
  }
}

// The query parameters SQLAlchemy's pysqlite dialect reads, with values
// SQLite accepts; anything else would be silently ignored, so it is an error.
}  // namespace

std::string redact_url_text(std::string_view text) {
  // In free text a URL ends at whitespace or a quote.
  std::string out;
  size_t done = 0;
  for (size_t scheme = text.find("://"); scheme != std::string_view::npos;
       scheme = text.find("://", done)) {
    size_t begin = scheme;
    while (begin > done && scheme_char(text[begin - 1]))
      --begin;
    size_t end = text.find_first_of(" \t\r\n'\"", scheme);
    if (end == std::string_view::npos) end = text.size();
    out += text.substr(done, begin - done);
    out += mask_url(text.substr(begin, end - begin));
    done = end;
  }
  out += text.substr(done);
  return out;
}

std::string redact_url_input(std::string_view url) {
  return mask_url(url);
}

std::string DatabaseUrl::redacted() const {
  if (form == UrlForm::kFilePath)
    return backend + ":///" + (database.empty() ? std::string(":memory:") : database);
  std::string out = backend + "://";
  // A password given as ?password=... is masked there, not shown as userinfo.
  bool in_query = false;
  for (const auto& [k, v] : query)
    in_query |= k == "password";
  const bool userinfo_password = has_password && (!password.empty() || !in_query);
  if (!user.empty() || userinfo_password) {
    out += user;
    if (userinfo_password) out += ":***";
    out += "@";
  }
  out += host.find(':') == std::string::npos ? host : "[" + host + "]";
  if (!port.empty()) out += ":" + port;
  out += "/" + database;
  for (size_t i = 0; i < query.size(); ++i)
    out += (i ? "&" : "?") + query[i].first + "=" +
           (query[i].first == "password" ? std::string("***") : query[i].second);
  return out;
}

std::string url_scheme(std::string_view text, const UrlFailure& fail) {
  register_url_secrets(text);
  size_t sep = text.find("://");
  bool scheme_ok = sep != std::string_view::npos && sep > 0;
  for (size_t i = 0; scheme_ok && i < sep; ++i)
    scheme_ok = scheme_char(text[i]);
  if (!scheme_ok) throw fail("it has no scheme:// part");
  return to_lower(text.substr(0, sep));
}

DatabaseUrl parse_url_parts(std::string_view text, const std::string& source,
                            const std::string& base_dir, std::string backend, UrlForm form,
                            const UrlFailure& fail) {
  DatabaseUrl url;
  url.source = source;
  url.backend = std::move(backend);
  url.form = form;
  const size_t sep = text.find("://");
  std::string_view rest = text.substr(sep + 3);
  // The user and password come first, so a '?' inside the password is not
  // taken for the start of the query.
  if (form == UrlForm::kServer) {
    if (auto [pw, len] = password_span(rest); pw != std::string_view::npos) {
      url.user = percent_decode(rest.substr(0, pw - 1));
      url.password = percent_decode(rest.substr(pw, len));
      url.has_password = true;
      rest = rest.substr(pw + len + 1);
    } else if (size_t at = rest.substr(0, rest.find_first_of("/?")).find('@');
               at != std::string_view::npos) {
      url.user = percent_decode(rest.substr(0, at));
      rest = rest.substr(at + 1);
    }
  }
  std::string_view query;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  for (const auto& kv : split_list(query, '&')) {
    auto eq = kv.find('=');
    if (eq == std::string::npos)
      throw fail(plain_user(kv) && !secret_key(kv) ? "query parameter '" + kv + "' has no '='"
                                                   : std::string("a query parameter has no '='"));
    url.query.emplace_back(percent_decode(kv.substr(0, eq)), percent_decode(kv.substr(eq + 1)));
  }

  if (form == UrlForm::kFilePath) {
    // sqlite:// and sqlite:///:memory: are in memory; sqlite:///x is relative,
    // sqlite:////x absolute, exactly as SQLAlchemy reads them.
    if (rest.empty()) return url;
    if (rest[0] != '/')
      throw fail("this URL names a file, not a host: write " + url.backend + ":///path/to/file.db");
    std::string path = percent_decode(rest.substr(1));
    // SQLAlchemy's ?uri=true form names the file as a URI: sqlite:///file:app.db?mode=ro&uri=true.
    for (const auto& [k, v] : url.query)
      if (k == "uri" && v == "true" && path.rfind("file:", 0) == 0) path = path.substr(5);
    if (path.empty() || path == ":memory:") {
      url.database = path;
      return url;
    }
    if (path[0] != '/' && !base_dir.empty()) path = base_dir + "/" + path;
    url.database = path;
    return url;
  }

  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  url.database = slash == std::string_view::npos ? "" : percent_decode(rest.substr(slash + 1));
  // [::1]:5432, host:5432 or host
  std::string_view host = authority;
  const bool bracketed = !authority.empty() && authority[0] == '[';
  if (bracketed) {
    auto close = authority.find(']');
    if (close == std::string_view::npos) throw fail("unclosed '[' in the host");
    host = authority.substr(1, close - 1);
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') throw fail("junk after the IPv6 address");
      url.port = after.substr(1);
    }
  } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    url.port = authority.substr(colon + 1);
  }
  url.host = percent_decode(host);
  // Neither is echoed: "app:pw:host" or "app:pwhost:5432" (a ':' typed for
  // '@') puts the password there.
  if (!is_port(url.port))
    throw fail("the port (after the host's last ':') is not a number")
        .hint("a password goes before an '@': " + url.backend + "://user:password@host:5432/db");
  if (!url.port.empty() &&
      (url.port.size() > 5 || std::stoi(url.port) < 1 || std::stoi(url.port) > 65535))
    throw fail("the port is not between 1 and 65535");
  if (host.find('@') != std::string_view::npos)
    throw fail("the host holds an '@' (write one in the user or password as %40)");
  if (!bracketed && host.find(':') != std::string_view::npos)
    throw fail("the host has more than one ':' (an IPv6 address goes in brackets: [::1])")
        .hint("a password goes before an '@': " + url.backend + "://user:password@host:5432/db");
  for (const auto& [k, v] : url.query)
    if (k == "password") url.has_password = true;
  return url;
}

}  // namespace retort
