// embed_bench without the runtime: what any program of its kind weighs.
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  std::string url = argc > 1 ? argv[1] : "";
  std::cout << "baseline " << url.size() << "\n";
  return 0;
}
