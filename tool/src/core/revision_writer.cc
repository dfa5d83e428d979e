#include "core/revision_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <random>

#include "core/error.h"
#include "core/revision.h"
#include "core/script_directory.h"
#include "core/text.h"

namespace fs = std::filesystem;

namespace retort {

std::string new_revision_id() {
  std::random_device rd;  // /dev/urandom on Linux
  unsigned long long v = (static_cast<unsigned long long>(rd()) << 32) ^ rd();
  char buf[17];
  std::snprintf(buf, sizeof buf, "%012llx", v & 0xffffffffffffULL);
  return buf;
}

std::string slugify(const std::string& message) {
  std::string slug;
  for (unsigned char c : message) {
    if (std::isalnum(c) && c < 0x80) {
      slug += static_cast<char>(std::tolower(c));
    } else if (!slug.empty() && slug.back() != '_') {
      slug += '_';
    }
    if (slug.size() >= 40) break;
  }
  while (!slug.empty() && slug.back() == '_')
    slug.pop_back();
  return slug.empty() ? "revision" : slug;
}

std::string revision_file_name(const std::string& file_template, const std::string& id,
                               const std::string& message, long long unix_time, bool utc) {
  std::time_t t = static_cast<std::time_t>(unix_time);
  std::tm tm{};
  if (utc)
    gmtime_r(&t, &tm);
  else
    localtime_r(&t, &tm);
  auto two = [](int v) {
    char b[16];
    std::snprintf(b, sizeof b, "%02d", v);
    return std::string(b);
  };
  const std::pair<std::string, std::string> tokens[] = {
      {"%(rev)s", id},
      {"%(slug)s", slugify(message)},
      {"%(year)s", std::to_string(tm.tm_year + 1900)},
      {"%(month)s", two(tm.tm_mon + 1)},
      {"%(day)s", two(tm.tm_mday)},
      {"%(hour)s", two(tm.tm_hour)},
      {"%(minute)s", two(tm.tm_min)},
      {"%(second)s", two(tm.tm_sec)},
      {"%(epoch)s", std::to_string(unix_time)},
  };
  std::string name = file_template;
  for (const auto& [token, value] : tokens)
    for (size_t p; (p = name.find(token)) != std::string::npos;)
      name.replace(p, token.size(), value);
  return name + ".sql";
}

const std::string& default_template() {
  static const std::string text =
      "-- revision: ${revision}\n"
      "-- down_revision: ${down_revision}\n"
      "${optional_headers}"
      "-- created: ${created}\n"
      "-- message: ${message}\n"
      "\n"
      "-- migrate:upgrade\n"
      "${upgrade}\n"
      "\n"
      "-- migrate:downgrade\n"
      "${downgrade}\n";
  return text;
}

namespace {

std::string render(const std::string& text,
                   const std::vector<std::pair<std::string, std::string>>& vars) {
  // One left-to-right pass, so a value that happens to contain "${x}" is
  // never expanded again.
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find("${", pos);
    if (open == std::string::npos) break;
    size_t close = text.find('}', open);
    if (close == std::string::npos) break;
    std::string name = text.substr(open + 2, close - open - 2);
    const std::string* value = nullptr;
    for (const auto& [k, v] : vars)
      if (k == name) value = &v;
    out += text.substr(pos, open - pos);
    if (value)
      out += *value;
    else
      out += text.substr(open, close - open + 1);
    pos = close + 1;
  }
  out += text.substr(pos);
  return out;
}

std::string utc_timestamp(long long unix_time, bool utc) {
  std::time_t t = static_cast<std::time_t>(unix_time);
  std::tm tm{};
  if (utc)
    gmtime_r(&t, &tm);
  else
    localtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S%z", &tm);
  std::string s = buf;  // +0000 -> +00:00, as Alembic writes it
  if (s.size() > 2) s.insert(s.size() - 2, ":");
  return s;
}

}  // namespace

std::string write_revision(const std::string& script_location, const std::string& file_template,
                           bool utc, NewRevision rev) {
  ScriptDirectory dir{script_location};
  std::error_code ec;
  if (!fs::is_directory(dir.versions_dir(), ec))
    throw Error("migration directory " + display_path(dir.versions_dir()) + " does not exist")
        .hint("run `retort init` to create it");
  std::string tmpl_path = dir.template_path();
  if (!fs::exists(tmpl_path, ec))
    throw Error("revision template " + display_path(tmpl_path) + " is missing")
        .hint("run `retort init --template` to restore the default template");
  std::string tmpl = read_file(tmpl_path);

  if (rev.id.empty()) rev.id = new_revision_id();
  // A message is one header line: fold newlines and control characters.
  std::string message;
  for (unsigned char c : rev.message)
    message += c < 0x20 ? ' ' : static_cast<char>(c);
  message = std::string(trim(message));

  std::string optional_headers;
  if (!rev.depends_on.empty())
    optional_headers += "-- depends_on: " + join(rev.depends_on, ", ") + "\n";
  if (!rev.branch_labels.empty())
    optional_headers += "-- branch_labels: " + join(rev.branch_labels, ", ") + "\n";

  long long now = static_cast<long long>(std::time(nullptr));
  std::string text = render(tmpl, {{"revision", rev.id},
                                   {"down_revision", join(rev.down_revisions, ", ")},
                                   {"optional_headers", optional_headers},
                                   {"created", utc_timestamp(now, utc)},
                                   {"message", message},
                                   {"upgrade", rev.upgrade_sql},
                                   {"downgrade", rev.downgrade_sql}});

  // "-- down_revision: " of a root would otherwise end in a space.
  for (size_t p; (p = text.find(" \n")) != std::string::npos;)
    text.erase(p, 1);

  std::string name = revision_file_name(file_template, rev.id, message, now, utc);
  if (auto why = unbuildable_name_reason(name); !why.empty())
    throw Error("file_template " + quoted_for_display(file_template) + " gives the file name " +
                quoted_for_display(name) + ", which " + why + "; nothing was written")
        .hint(
            "change file_template in retort.ini; %(rev)s, %(slug)s and the date fields are "
            "always safe");
  std::string path = dir.versions_dir() + "/" + name;
  Revision parsed;
  try {
    parsed = parse_revision(text, display_path(tmpl_path));
  } catch (const Error& e) {
    throw Error("the template " + display_path(tmpl_path) +
                " renders a revision that does not parse; nothing was written")
        .also(e)
        .hint("compare it with the default: run `retort init --template` in an empty directory");
  }
  if (parsed.id != rev.id || parsed.down_revisions != rev.down_revisions)
    throw Error("the template " + display_path(tmpl_path) +
                " must keep '-- revision: ${revision}' and '-- down_revision: ${down_revision}'");
  // Two revisions made within one second (or with one slug under a coarser
  // file_template) would share a name: take the next free one, name_2.sql,
  // name_3.sql, ... The exclusive write still refuses a file that appears in
  // between, so nothing is ever replaced.
  const std::string stem = path.substr(0, path.size() - 4);  // without ".sql"
  for (int n = 2;; ++n) {
    if (!fs::exists(path, ec)) {
      try {
        write_file_atomic(path, text, /*exclusive=*/true);
        return path;
      } catch (const Error&) {
        if (!fs::exists(path, ec) || n > 1000) throw;  // not a name clash
      }
    }
    if (n > 1000)
      throw Error("cannot find a free file name for the revision").at(display_path(path));
    path = stem + "_" + std::to_string(n) + ".sql";
  }
}

}  // namespace retort
