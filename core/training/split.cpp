#include "core/training/split.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "core/common/error.h"
#include "core/common/paths.h"

namespace lunglens::core::training {

std::string SubjectSplit::splitOf(const std::string& subject_id) const {
  auto in = [&](const std::vector<std::string>& ids) { return std::binary_search(ids.begin(), ids.end(), subject_id); };
  if (in(train)) return "train";
  if (in(validation)) return "validation";
  if (in(test)) return "test";
  return "";
}

SubjectSplit splitSubjects(const std::vector<std::pair<std::string, std::string>>& subject_labels, std::uint64_t seed,
                           SplitFractions fractions) {
  if (subject_labels.empty()) throw InputError("split", "no subjects to split");
  if (!(fractions.train > 0 && fractions.validation > 0 && fractions.train + fractions.validation < 1))
    throw InputError("split", "fractions must be positive and leave some subjects for the test split");
  // Strata in a fixed order (std::map), subjects in first-seen order: the result depends on the seed only.
  std::map<std::string, std::vector<std::string>> by_label;
  std::set<std::string> seen;
  for (const auto& [id, label] : subject_labels)
    if (seen.insert(id).second) by_label[label].push_back(id);

  SubjectSplit split;
  split.seed = seed;
  std::mt19937_64 rng(seed);
  // Deal each stratum by cumulative rounding, carrying the remainder across strata so small strata do not all
  // round the same way.
  double carry_train = 0, carry_val = 0;
  for (auto& [label, ids] : by_label) {
    std::shuffle(ids.begin(), ids.end(), rng);
    const double n = static_cast<double>(ids.size());
    const auto n_train = static_cast<size_t>(std::max(0.0, std::round(n * fractions.train + carry_train)));
    const size_t take_train = std::min(n_train, ids.size());
    carry_train += n * fractions.train - static_cast<double>(take_train);
    const auto n_val = static_cast<size_t>(std::max(0.0, std::round(n * fractions.validation + carry_val)));
    const size_t take_val = std::min(n_val, ids.size() - take_train);
    carry_val += n * fractions.validation - static_cast<double>(take_val);
    split.train.insert(split.train.end(), ids.begin(), ids.begin() + take_train);
    split.validation.insert(split.validation.end(), ids.begin() + take_train, ids.begin() + take_train + take_val);
    split.test.insert(split.test.end(), ids.begin() + take_train + take_val, ids.end());
  }
  // With 3+ subjects, no split stays empty: move one subject from the largest split.
  if (seen.size() >= 3) {
    for (auto* empty : {&split.validation, &split.test, &split.train}) {
      if (!empty->empty()) continue;
      auto* largest = &split.train;
      for (auto* s : {&split.validation, &split.test})
        if (s->size() > largest->size()) largest = s;
      empty->push_back(largest->back());
      largest->pop_back();
    }
  }
  for (auto* s : {&split.train, &split.validation, &split.test}) std::sort(s->begin(), s->end());
  checkDisjoint(split, "split");
  return split;
}

void checkDisjoint(const SubjectSplit& split, const std::string& context) {
  std::map<std::string, std::string> where;
  const std::pair<const char*, const std::vector<std::string>*> parts[] = {
      {"train", &split.train}, {"validation", &split.validation}, {"test", &split.test}};
  for (const auto& [name, ids] : parts)
    for (const auto& id : *ids) {
      const auto [it, fresh] = where.emplace(id, name);
      if (!fresh)
        throw InputError(context, "subject '" + id + "' is in both the " + it->second + " and the " + name +
                                      " split: a subject's slices must stay in one split");
    }
}

void writeSplitJson(const std::filesystem::path& file, const SubjectSplit& split) {
  checkDisjoint(split, file.string());
  const nlohmann::json j = {{"schema_version", 1},
                            {"seed", split.seed},
                            {"train", split.train},
                            {"validation", split.validation},
                            {"test", split.test}};
  writeFileAtomically(file, j.dump(2) + "\n", /*overwrite=*/true);
}

SubjectSplit readSplitJson(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw InputError(file.string(), "cannot open the split file");
  SubjectSplit split;
  try {
    const nlohmann::json j = nlohmann::json::parse(in);
    if (j.value("schema_version", 0) != 1) throw InputError(file.string(), "split.json: schema_version must be 1");
    split.seed = j.value("seed", std::uint64_t{0});
    split.train = j.at("train").get<std::vector<std::string>>();
    split.validation = j.at("validation").get<std::vector<std::string>>();
    split.test = j.at("test").get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception& e) {
    throw InputError(file.string(), std::string("split.json: ") + e.what());
  }
  checkDisjoint(split, file.string());
  for (auto* s : {&split.train, &split.validation, &split.test}) std::sort(s->begin(), s->end());
  return split;
}

}  // namespace lunglens::core::training
