#pragma once
// What a phantom set is made of (stylised and hybrid subjects, and which real series lent their anatomy), read back
// from its dataset.json, and the provenance sentence of a model trained on it: a hybrid subject holds a real
// patient's anatomy, so "synthetic phantoms, not patients" would not be the whole truth.
#include <filesystem>
#include <optional>
#include <set>
#include <string>

namespace lunglens::core::phantom {

struct PhantomSetMakeup {
  int subjects = 0;
  int hybrid_subjects = 0;
  std::set<std::string> background_series;  // SeriesInstanceUIDs of the real CT series behind the hybrids
};

// Reads DIR/dataset.json as writePhantomSet writes it. nullopt when the folder has none (a set written before
// dataset.json existed); InputError naming the file when it cannot be read.
std::optional<PhantomSetMakeup> readPhantomSetMakeup(const std::filesystem::path& dir);

// "trained on synthetic phantoms (LungLens phantom generator), not patients" for a stylised set (or an unknown
// makeup); for a set with hybrids, says that and from how many real CT series the anatomy comes.
std::string phantomSetTrainingNote(const std::optional<PhantomSetMakeup>& makeup);

}  // namespace lunglens::core::phantom
