#include "core/arg_parser.h"

#include <boost/program_options.hpp>
#include <iostream>
#include <sstream>

#include "core/error.h"

namespace po = boost::program_options;

namespace retort {

namespace {

// "-1" is a target, not an option: hide such words from Boost behind a marker
// and take it off again after parsing.
constexpr char kNumberMark = '\x1f';

bool looks_negative_number(const std::string& s) {
  return s.size() >= 2 && s[0] == '-' && s[1] >= '0' && s[1] <= '9';
}

void unmark(std::string& s) {
  if (!s.empty() && s[0] == kNumberMark) s.erase(0, 1);
}

}  // namespace

struct ArgParser::Impl {
  std::string usage, summary;
  po::options_description options{"Options", 100, 50};
  po::positional_options_description positional;
  std::vector<std::pair<std::string, std::string>> positional_help;
  std::vector<std::pair<std::string, std::vector<std::string>*>> positional_out;
  std::vector<std::string*> string_outs;
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
  impl_->string_outs.push_back(out);
}

void ArgParser::int_option(const char* names, const char* value_name, const char* help, int* out) {
  impl_->options.add_options()(names, po::value<int>(out)->value_name(value_name), help);
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

std::string ArgParser::help() const {
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

bool ArgParser::parse(const std::vector<std::string>& args) {
  po::options_description all;
  all.add(impl_->options);
  po::options_description hidden;
  for (const auto& [key, out] : impl_->positional_out)
    hidden.add_options()(key.c_str(), po::value<std::vector<std::string>>(out)->composing());
  all.add(hidden);
  po::variables_map vm;
  try {
    std::vector<std::string> marked = args;
    for (auto& a : marked)
      if (looks_negative_number(a)) a.insert(a.begin(), kNumberMark);
    auto parsed =
        po::command_line_parser(marked)
            .options(all)
            .positional(impl_->positional)
            .style(po::command_line_style::default_style & ~po::command_line_style::allow_guessing)
            .run();
    po::store(parsed, vm);
    po::notify(vm);
  } catch (const po::too_many_positional_options_error&) {
    throw Error("too many arguments").hint("usage: retort " + impl_->usage).usage();
  } catch (const po::error& e) {
    std::string what = e.what();
    // Boost names positionals by their hidden key; show the user's word.
    if (auto p = what.find("--positional-"); p != std::string::npos) what.replace(p, 13, "");
    throw Error(what).hint("usage: retort " + impl_->usage + " (see --help)").usage();
  }
  for (auto& [key, out] : impl_->positional_out)
    for (auto& v : *out)
      unmark(v);
  for (auto* out : impl_->string_outs)
    unmark(*out);
  if (impl_->help) {
    std::cout << help();
    return false;
  }
  return true;
}

}  // namespace retort
