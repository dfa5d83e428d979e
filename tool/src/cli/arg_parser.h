// Command-line parsing for the commands, over Boost.Program_options. The
// Boost headers stay in arg_parser.cc so the command files compile fast.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace retort {

class ArgParser {
 public:
  // `usage` is the synopsis after "retort", e.g. "upgrade [TARGET]".
  ArgParser(std::string usage, std::string summary);
  ~ArgParser();

  // `names` is "long,s" or "long".
  void flag(const char* names, const char* help, bool* out);
  void option(const char* names, const char* value_name, const char* help, std::string* out);
  // A whole number from `min` to `max`; anything else is a usage error that
  // says the range.
  void int_option(const char* names, const char* value_name, const char* help, int* out, int min,
                  int max);
  void repeated(const char* names, const char* value_name, const char* help,
                std::vector<std::string>* out);
  // Positional arguments, in order; the last may take many (max = -1).
  void positional(const char* name, const char* help, std::vector<std::string>* out, int max);
  // Options end at the first word that is not an option: it and every word
  // after it go to `out` unread (retort's global options, then COMMAND ARGS).
  void rest(const char* name, const char* help, std::vector<std::string>* out);
  // What --help prints instead of the generated help.
  void help_text(std::string text);

  // Returns false when --help was given and the help was printed. Throws a
  // usage Error on anything the parser does not understand.
  bool parse(const std::vector<std::string>& args);
  std::string help() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace retort
