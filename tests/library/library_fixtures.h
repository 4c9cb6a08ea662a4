#pragma once
// Shared helpers for the library tests: small phantom studies on disk (with their ground truth), study records
// whose AI results are written straight from that truth (to test the library's logic independently of any
// model), and a tiny TorchScript model bundle for real imports.
#include <filesystem>
#include <string>
#include <vector>

#include "core/dicom/series.h"
#include "core/library/records.h"
#include "core/phantom/generator.h"
#include "tests/common/test_paths.h"

namespace lunglens::test {

struct PhantomStudy {
  std::filesystem::path dir;                      // holds dicom/, truth.json, labels.nii.gz
  std::vector<core::phantom::SliceTruth> truth;   // per slice, index order = the series' order
  core::dicom::SeriesInfo series;                 // as scanned back from disk
  std::vector<std::uint8_t> labels;               // the label volume (x fastest, then y, then slice)
};

// A 128 x 128, 12-slice phantom written under `dir` (replacing what is there).
PhantomStudy writeSmallPhantom(const std::filesystem::path& dir, std::uint64_t seed, core::phantom::Diagnosis dx,
                               std::vector<core::phantom::Finding> findings = {}, int size = 128, int slices = 12);

// The study as the importer would record it, with "AI" probabilities taken from the truth: 0.9 for a normal slice's
// label, 0.55..0.95 (growing with the involved fraction) for a diseased slice's, and for COVID slices 0.8 for the dominant manifestation class. Model stamped "truth-oracle".
// With `oracle_maps`, slices with findings also get a "Grad-CAM" map made from the label volume (where the findings
// are), so screenshots show a map in the right place; it is the truth, not a model's attention.
core::library::StudyRecord recordFromTruth(const PhantomStudy& study, bool oracle_maps = false);

// A tiny diagnosis + manifestation bundle (brightness models, 32 x 32 input): <dir>/diagnosis, <dir>/manifestation.
void writeTinyBundles(const std::filesystem::path& dir);

}  // namespace lunglens::test
