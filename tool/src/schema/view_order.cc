#include "schema/view_order.h"

#include <algorithm>
#include <functional>
#include <variant>

#include "schema/schema_model.h"

namespace retort {

namespace {

const View* view_of(const Op& op) {
  if (auto* c = std::get_if<CreateView>(&op.change)) return &c->view;
  if (auto* d = std::get_if<DropView>(&op.change)) return &d->view;
  return nullptr;
}

}  // namespace

void order_views(std::vector<Op>& ops) {
  for (size_t i = 0; i < ops.size();) {
    if (!view_of(ops[i])) {
      ++i;
      continue;
    }
    const bool drop = std::holds_alternative<DropView>(ops[i].change);
    size_t j = i;
    while (j < ops.size() && view_of(ops[j]) &&
           std::holds_alternative<DropView>(ops[j].change) == drop)
      ++j;
    // Depth first over what each view reads; a cycle (which no database
    // accepts) leaves the views as they came.
    std::vector<Op> sorted;
    std::vector<int> state(j - i, 0);  // 0 new, 1 visiting, 2 done
    std::function<void(size_t)> visit = [&](size_t k) {
      if (state[k] != 0) return;
      state[k] = 1;
      for (size_t m = 0; m < state.size(); ++m)
        if (m != k && view_reads(*view_of(ops[i + k]), view_of(ops[i + m])->name)) visit(m);
      state[k] = 2;
      sorted.push_back(ops[i + k]);
    };
    for (size_t k = 0; k < state.size(); ++k)
      visit(k);
    if (drop) std::reverse(sorted.begin(), sorted.end());
    for (size_t k = 0; k < sorted.size(); ++k)
      ops[i + k] = std::move(sorted[k]);
    i = j;
  }
}

}  // namespace retort
