#include "cli/arg_parser.h"

#include <boost/program_options.hpp>
#include <cerrno>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <sstream>

#include "core/error.h"
#include "core/text.h"

namespace po = boost::program_options;

namespace retort {

namespace {

bool looks_negative_number(const std::string& s) {
  return s.size() >= 2 && s[0] == '-' && s[1] >= '0' && s[1] <= '9';
}

bool looks_like_option(const std::string& s) {
  return s.size() >= 2 && s[0] == '-' && !looks_negative_number(s);
}

// "-1" is a word, not an unknown short option: a target ("downgrade -1") or
// an option's value ("-m -1"). No command_line_style says so; this is
// Boost's hook for syntax of one's own (extra_style_parser), tried before
// its built-in styles. Asked whether the word after "-m" is an option, it
// answers yes, but Boost finds no option named "-1" and takes it as -m's.
std::vector<po::option> negative_number(std::vector<std::string>& args) {
  std::vector<po::option> out;
  if (looks_negative_number(args.front())) {
    po::option o;  // no key: Boost gives it the next position
    o.value.push_back(args.front());
    o.original_tokens.push_back(args.front());
    out.push_back(std::move(o));
    args.erase(args.begin());
  }
  return out;
}

}  // namespace

struct ArgParser::Impl {
  std::string usage, summary;
  po::options_description options{"Options", 100, 50};
  po::positional_options_description positional;
  std::vector<std::pair<std::string, std::string>> positional_help;
  std::vector<std::pair<std::string, std::vector<std::string>*>> positional_out;
  std::vector<std::string>* rest = nullptr;
  std::string custom_help;
  // Whole-number options are read as text and converted here, so that every
  // bad value (a word, "-1", one past INT_MAX) gets the same message.
  struct Number {
    std::string name, value_name, text;
    int* out;
    int min, max;
  };
  std::deque<Number> numbers;  // stable addresses: Boost writes into `text`
  bool help = false;
};

ArgParser::ArgParser(std::string usage, std::string summary) : impl_(std::make_unique<Impl>()) {
  impl_->usage = std::move(usage);
  impl_->summary = std::move(summary);
  impl_->options.add_options()("help,h", po::bool_switch(&impl_->help), "show this help");
}

ArgParser::~ArgParser() = default;

void ArgParser::flag(const char* names, const char* help, bool* out) {
  // Keep a value set before parsing (a global flag given before the command).
  impl_->options.add_options()(names, po::bool_switch(out)->default_value(*out), help);
}

void ArgParser::option(const char* names, const char* value_name, const char* help,
                       std::string* out) {
  impl_->options.add_options()(names, po::value<std::string>(out)->value_name(value_name), help);
}

void ArgParser::int_option(const char* names, const char* value_name, const char* help, int* out,
                           int min, int max) {
  std::string name = names;
  auto& n = impl_->numbers.emplace_back(
      Impl::Number{name.substr(0, name.find(',')), value_name, "", out, min, max});
  impl_->options.add_options()(names, po::value<std::string>(&n.text)->value_name(value_name),
                               help);
}

void ArgParser::repeated(const char* names, const char* value_name, const char* help,
                         std::vector<std::string>* out) {
  impl_->options.add_options()(
      names, po::value<std::vector<std::string>>(out)->value_name(value_name)->composing(), help);
}

void ArgParser::positional(const char* name, const char* help, std::vector<std::string>* out,
                           int max) {
  std::string key = std::string("positional-") + name;
  // Hidden options carry the positionals; Boost maps them by position.
  impl_->positional.add(key.c_str(), max);
  impl_->positional_help.emplace_back(name, help);
  impl_->positional_out.emplace_back(key, out);
}

void ArgParser::rest(const char* name, const char* help, std::vector<std::string>* out) {
  impl_->positional_help.emplace_back(name, help);
  impl_->rest = out;
}

void ArgParser::help_text(std::string text) {
  impl_->custom_help = std::move(text);
}

std::string ArgParser::help() const {
  if (!impl_->custom_help.empty()) return impl_->custom_help;
  std::ostringstream out;
  out << "usage: retort " << impl_->usage << "\n\n" << impl_->summary << "\n";
  if (!impl_->positional_help.empty()) {
    out << "\nArguments:\n";
    for (const auto& [name, text] : impl_->positional_help) {
      out << "  " << name;
      for (size_t i = name.size(); i < 22; ++i)
        out << ' ';
      out << " " << text << "\n";
    }
  }
  out << "\n" << impl_->options;
  return out.str();
}

namespace {

// The word the user gave after `option` ("--x V" or "--x=V"), for messages.
std::string value_of(const std::string& option, const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == option && i + 1 < args.size()) return args[i + 1];
    if (args[i].rfind(option + "=", 0) == 0) return args[i].substr(option.size() + 1);
  }
  return {};
}

// Boost's own what() cannot be used: it fills "%canonical_option%"-style
// placeholders with the user's words until none is left, so an argument
// holding one ("--%value%") makes it loop for ever. The message is built
// here from the error's type and the option's name instead.
std::string describe(const po::error& e, const std::vector<std::string>& args) {
  auto* named = dynamic_cast<const po::error_with_option_name*>(&e);
  if (!named) return "cannot read the command line";
  std::string name = named->get_option_name();
  // Boost names positionals by their hidden key; show the user's word.
  if (name.rfind("--positional-", 0) == 0) name = name.substr(13);
  const std::string quoted = "'" + name + "'";
  if (dynamic_cast<const po::unknown_option*>(&e)) return "unrecognised option " + quoted;
  if (dynamic_cast<const po::ambiguous_option*>(&e)) return "option " + quoted + " is ambiguous";
  if (dynamic_cast<const po::multiple_occurrences*>(&e))
    return "option " + quoted + " cannot be specified more than once";
  if (dynamic_cast<const po::required_option*>(&e)) return "option " + quoted + " is required";
  if (dynamic_cast<const po::validation_error*>(&e)) {
    std::string value = value_of(name, args);
    return "the argument " + (value.empty() ? "" : "('" + value + "') ") + "for option " + quoted +
           " is invalid";
  }
  if (auto* syntax = dynamic_cast<const po::invalid_syntax*>(&e)) {
    switch (syntax->kind()) {
      case po::invalid_syntax::missing_parameter:
        return "the required argument for option " + quoted + " is missing";
      case po::invalid_syntax::extra_parameter:
        return "option " + quoted + " does not take any arguments";
      case po::invalid_syntax::empty_adjacent_parameter:
        return "the argument for option " + quoted + " should follow the '=' directly";
      default:
        return "option " + quoted + " is not written the way retort reads options";
    }
  }
  return "cannot use option " + quoted + " this way";
}

bool is_missing_value(const po::error& e) {
  auto* syntax = dynamic_cast<const po::invalid_syntax*>(&e);
  return syntax && syntax->kind() == po::invalid_syntax::missing_parameter;
}

}  // namespace

bool ArgParser::parse(const std::vector<std::string>& args) {
  po::options_description all;
  all.add(impl_->options);
  po::options_description hidden;
  for (const auto& [key, out] : impl_->positional_out)
    hidden.add_options()(key.c_str(), po::value<std::vector<std::string>>(out)->composing());
  all.add(hidden);
  // One Boost parse of `words`, stored into the outputs.
  auto run = [&](const std::vector<std::string>& words) {
    po::variables_map vm;
    po::store(
        po::command_line_parser(words)
            .options(all)
            .positional(impl_->positional)
            .extra_style_parser(negative_number)
            .style(po::command_line_style::default_style & ~po::command_line_style::allow_guessing)
            .run(),
        vm);
    po::notify(vm);
    return vm;
  };
  po::variables_map vm;
  try {
    if (!impl_->rest) {
      vm = run(args);
    } else {
      // Boost cannot end the options at the first word that is not an
      // option's value (getopt's "+"): no style does, and an extra style
      // parser that took the rest would also be asked, with the next word
      // alone, whether an option's value is an option, so `-c config` (a
      // file named like an option) would read as "-c without a value". So
      // each word in turn is tried as the start of the rest: the first
      // before which Boost reads every word as options and their values is
      // it. A word Boost misses as a value ("-c FILE") is passed over.
      size_t start = 0;
      for (; start < args.size(); ++start) {
        if (looks_like_option(args[start])) continue;
        try {
          vm = run({args.begin(), args.begin() + static_cast<std::ptrdiff_t>(start)});
          break;
        } catch (const po::error& e) {
          if (!is_missing_value(e)) throw;
        }
      }
      if (start == args.size()) vm = run(args);
      impl_->rest->assign(args.begin() + static_cast<std::ptrdiff_t>(start), args.end());
    }
  } catch (const po::too_many_positional_options_error&) {
    throw Error("too many arguments").hint("usage: retort " + impl_->usage).usage();
  } catch (const po::error& e) {
    throw Error(describe(e, args)).hint("usage: retort " + impl_->usage + " (see --help)").usage();
  }
  for (auto& n : impl_->numbers) {
    if (n.text.empty() && !vm.count(n.name)) continue;  // not given: the default stands
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(n.text.c_str(), &end, 10);
    bool number = !n.text.empty() && *end == '\0';
    if (!number || errno == ERANGE || v < n.min || v > n.max)
      throw Error("--" + n.name + " " +
                  (number ? n.text + " is out of range"
                          : quoted_for_display(n.text) + " is not a whole number"))
          .hint("give " + n.value_name + " from " + std::to_string(n.min) + " to " +
                std::to_string(n.max))
          .hint("usage: retort " + impl_->usage + " (see --help)")
          .usage();
    *n.out = static_cast<int>(v);
  }
  if (impl_->help) {
    std::cout << help();
    return false;
  }
  return true;
}

}  // namespace retort
