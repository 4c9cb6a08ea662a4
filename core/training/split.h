#pragma once
// Subject-level train/validation/test split (Chen et al.: 70/15/15 by subject), so no subject's slices are seen in
// two splits. Stratified by each subject's label, seeded, and saved as split.json beside the training run.
// Torch-free.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace lunglens::core::training {

struct SubjectSplit {
  std::vector<std::string> train, validation, test;  // subject ids, sorted
  std::uint64_t seed = 0;

  // Which split a subject is in: "train", "validation", "test", or "" if none.
  std::string splitOf(const std::string& subject_id) const;
};

struct SplitFractions {
  double train = 0.70, validation = 0.15;  // test gets the rest
};

// subject_labels[i] = (subject id, its label: the study label, or its most frequent slice label). Subjects are
// shuffled with `seed` within each label and dealt out by the fractions, so every label is spread over the splits
// in the same proportions; with 3 or more subjects each split gets at least one. Duplicate ids count once (the
// first label wins). Throws InputError for an empty list or fractions outside (0, 1).
SubjectSplit splitSubjects(const std::vector<std::pair<std::string, std::string>>& subject_labels, std::uint64_t seed,
                           SplitFractions fractions = {});

// Throws InputError naming the subject if one appears in two splits (or twice in one).
void checkDisjoint(const SubjectSplit& split, const std::string& context);

// split.json: {"schema_version": 1, "seed": N, "train": [...], "validation": [...], "test": [...]}.
void writeSplitJson(const std::filesystem::path& file, const SubjectSplit& split);
// Reads and checks disjointness (InputError naming the file and the subject otherwise).
SubjectSplit readSplitJson(const std::filesystem::path& file);

}  // namespace lunglens::core::training
