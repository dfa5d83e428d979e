// retort::Script: embedded revision files parsed by the tool's own parser,
// so ids, checksums and line numbers are the ones `retort` reads from the
// same files.
#include "runtime/core_names.h"

#include "runtime/script_impl.h"

#include <regex>
#include <string_view>

namespace retort {
inline namespace v1 {

namespace {

SectionInfo section_info(const core::Section& s) {
  return {s.first_line, s.marker_line, s.transactional, s.irreversible, s.checksum()};
}

RevisionInfo revision_info(const core::Revision& r) {
  return {r.id,
          r.down_revisions,
          r.depends_on,
          r.branch_labels,
          r.message,
          r.path,
          r.id_line,
          section_info(r.upgrade),
          section_info(r.downgrade)};
}

ErrorKind kind_of(core::ErrorCategory c) {
  switch (c) {
    case core::ErrorCategory::kInput:
      return ErrorKind::kInput;
    case core::ErrorCategory::kSyntax:
      return ErrorKind::kSyntax;
    case core::ErrorCategory::kData:
      return ErrorKind::kData;
    case core::ErrorCategory::kConnection:
      return ErrorKind::kConnection;
    case core::ErrorCategory::kLock:
      return ErrorKind::kLock;
    case core::ErrorCategory::kResource:
      return ErrorKind::kResource;
    case core::ErrorCategory::kInternal:
      return ErrorKind::kInternal;
  }
  return ErrorKind::kInternal;
}

// The drivers put the database's code in the message: "(SQLSTATE 42P01)",
// "(MariaDB error 1146, SQLSTATE 42S02)".
std::string database_code(const std::string& message) {
  static const std::regex mariadb(R"(MariaDB error ([0-9]+))");
  static const std::regex sqlstate(R"(SQLSTATE ([0-9A-Z]{5}))");
  std::smatch m;
  if (std::regex_search(message, m, mariadb)) return m[1];
  if (std::regex_search(message, m, sqlstate)) return m[1];
  return "";
}

}  // namespace

Script::Impl::Impl(std::vector<core::Revision> revisions, const ScriptSettings& s)
    : graph(std::move(revisions)),
      version_table(s.version_table ? s.version_table : "retort_version"),
      log_table(s.log_table ? s.log_table : "retort_log") {
  settings.version_table = version_table.c_str();
  settings.log_table = log_table.c_str();
  settings.transaction_per_migration = s.transaction_per_migration;
}

Script::Script(const ScriptFile* files, std::size_t count, ScriptSettings settings) {
  impl_ = translate_errors(nullptr, [&] {
    core::ErrorList errors;
    std::vector<core::Revision> revisions;
    for (std::size_t i = 0; i < count; ++i) {
      try {
        revisions.push_back(
            parse_revision(std::string_view(files[i].text, files[i].size), files[i].path));
      } catch (const core::Error& e) {
        errors.add(e);
      }
    }
    errors.throw_if_any();
    // Every upgrade compares the applied revisions' upgrade checksums:
    // hash them once. A downgrade's is hashed when it runs.
    for (auto& r : revisions)
      r.upgrade.known_checksum = r.upgrade.checksum();
    return std::make_shared<const Impl>(std::move(revisions), settings);
  });
}

const std::vector<RevisionInfo>& Script::revisions() const {
  std::call_once(impl_->infos_made, [this] {
    for (const auto& r : impl_->graph.revisions())
      impl_->infos.push_back(revision_info(r));
  });
  return impl_->infos;
}

std::vector<std::string> Script::heads() const {
  std::vector<std::string> out;
  for (const core::Revision* h : impl_->graph.heads())
    out.push_back(h->id);
  return out;
}

const ScriptSettings& Script::settings() const {
  return impl_->settings;
}

Error::Error(const std::string& message, std::string file, int line, std::string revision,
             std::string database_code, std::vector<std::string> hints, ErrorKind kind)
    : std::runtime_error(message),
      file_(std::move(file)),
      line_(line),
      revision_(std::move(revision)),
      database_code_(std::move(database_code)),
      hints_(std::move(hints)),
      kind_(kind) {}

std::string Error::format() const {
  std::string out =
      file_.empty() ? "" : file_ + (line_ > 0 ? ":" + std::to_string(line_) : "") + ": ";
  out += what();
  out += '\n';
  for (const auto& h : hints_)
    out += "  hint: " + h + "\n";
  return out;
}

Error to_public(const core::Error& e, const Script::Impl* script) {
  std::string message = redact_secrets(e.what());
  // Further problems of the same pass follow as the tool prints them.
  for (const auto& more : e.more())
    message += "\n" + redact_secrets(more.format());
  std::vector<std::string> hints;
  for (const auto& h : e.hints())
    hints.push_back(redact_secrets(h));
  std::string revision;
  if (script && !e.file().empty())
    for (const auto& r : script->graph.revisions())
      if (r.path == e.file()) revision = r.id;
  return Error(message, e.file(), e.line(), revision, database_code(message), std::move(hints),
               kind_of(e.category()));
}

}  // namespace v1
}  // namespace retort
