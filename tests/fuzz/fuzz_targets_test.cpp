// One deterministic fuzz target per parser of outside input (issue 18): the DICOM header scan (and the decoding
// of what it accepts), model manifests, annotation files and the case-library import. Seeded mutations of real
// files, each run in a forked child (fuzz_support.h). Every target must show 0 crashes, 0 hangs, 0 internal errors
// and no mutant asking for more than 64 MiB beyond 4 x its size. Budgets are fixed mutant counts, small enough
// for CI (each target well under 20 s on two loaded cores).
#include <gtest/gtest.h>

#include <filesystem>

#include "core/common/error.h"
#include "core/dicom/file_header.h"
#include "core/dicom/scan.h"
#include "core/dicom/slice_decoder.h"
#include "core/dicom/slice_eligibility.h"
#include "core/annotation/annotation_store.h"
#include "core/inference/manifest.h"
#include "core/library/case_library.h"
#include "core/library/importer.h"
#include "core/library/series_classifier.h"
#include "tests/common/test_paths.h"
#include "tests/fuzz/fuzz_support.h"

namespace fs = std::filesystem;
using namespace lunglens;
using namespace lunglens::test::fuzz;

namespace {

// Small real files: two CT slices of the Lung-PET-CT-Dx series and odd files of pydicom's test set (several
// transfer syntaxes, big endian, sequences, a DICOMDIR-like report, a JPEG-LS and a JPEG 2000 image).
std::vector<fs::path> dicomSeeds() {
  std::vector<fs::path> seeds;
  for (const auto& entry : fs::recursive_directory_iterator(test::lungPetCtDx())) {
    if (entry.path().extension() == ".dcm") seeds.push_back(entry.path());
    if (seeds.size() == 2) break;
  }
  for (const char* name : {"CT_small.dcm", "MR_small_jpeg_ls_lossless.dcm", "JPEG2000.dcm", "ExplVR_BigEnd.dcm",
                           "MR_small_RLE.dcm", "nested_priv_SQ.dcm", "UN_sequence.dcm", "rtplan.dcm",
                           "image_dfl.dcm", "MR_small_implicit.dcm", "JPGExtended.dcm", "emri_small_jpeg_2k_lossless.dcm"}) {
    const fs::path p = test::pydicomTestFiles() / name;
    if (fs::exists(p)) seeds.push_back(p);
  }
  return seeds;
}

void expectClean(const Report& r) {
  EXPECT_EQ(r.crashes, 0) << r.summary();
  EXPECT_EQ(r.hangs, 0) << r.summary();
  EXPECT_EQ(r.internal_errors, 0) << r.summary();
  EXPECT_EQ(r.over_memory, 0) << r.summary();
  std::printf("%s\n", r.summary().c_str());
}

}  // namespace

TEST(Fuzz, DicomHeaderScanAndDecode) {
  const fs::path dir = test::scratchDir("fuzz-dicom");
  Report report;
  Rng rng(18);
  const auto seeds = dicomSeeds();
  ASSERT_GE(seeds.size(), 8u);
  const int perSeed = 24;
  for (const auto& seed : seeds) {
    const std::string original = readFile(seed.string());
    for (int i = 0; i < perSeed; ++i) {
      const std::string mutant = mutateBytes(original, rng);
      const fs::path file = dir / ("m" + std::to_string(report.runs) + ".dcm");
      writeFile(file.string(), mutant);
      std::string detail;
      std::size_t requested = 0;
      const Outcome o = runIsolated(
          [&] {
            const auto r = core::dicom::readFileHeader(file);
            if (!r.header || !core::dicom::whyNotASlice(*r.header).empty()) return;
            std::vector<std::int16_t> hu(static_cast<std::size_t>(r.header->rows) * r.header->cols);
            core::dicom::decodeSliceHu(file.string(), 0, r.header->rows, r.header->cols, hu.data());
          },
          budgetFor(mutant.size()), 20.0, detail, requested);
      report.add(o, seed.filename().string() + " #" + std::to_string(i), detail, requested);
      // A mutant that failed stays behind for whoever fixes it (named in the report).
      if (o != Outcome::Finished) fs::rename(file, dir / ("failed-" + seed.filename().string() + "-" + std::to_string(i)));
      else fs::remove(file);
    }
  }
  expectClean(report);
}

TEST(Fuzz, ModelManifest) {
  Report report;
  Rng rng(1818);
  std::vector<std::string> seeds;
  for (const auto& entry : fs::directory_iterator(test::sourceDir() / "models"))
    if (fs::exists(entry.path() / "manifest.json")) seeds.push_back(readFile((entry.path() / "manifest.json").string()));
  ASSERT_FALSE(seeds.empty());
  for (const auto& seed : seeds) {
    for (int i = 0; i < 150; ++i) {
      const std::string mutant = mutateJson(seed, rng);
      std::string detail;
      std::size_t requested = 0;
      const Outcome o = runIsolated([&] { core::inference::parseManifest(mutant, "fuzz"); },
                                    budgetFor(mutant.size()), 20.0, detail, requested);
      report.add(o, "manifest #" + std::to_string(report.runs), detail, requested);
    }
  }
  expectClean(report);
}

TEST(Fuzz, AnnotationsFile) {
  const fs::path dir = test::scratchDir("fuzz-annotations");
  const std::string seed = R"({
  "format": "lunglens-annotations", "version": 1, "study_uid": "1.2.3.4",
  "annotations": [
    {"id": 1, "kind": "length", "series_uid": "1.2.3.4.5", "slice": 12, "sop_instance_uid": "1.2.3.4.5.12",
     "points": [[10.5, 20.25], [110.0, 40.0]], "text": "lesion"},
    {"id": 2, "kind": "ellipse", "series_uid": "1.2.3.4.5", "slice": 13, "sop_instance_uid": "1.2.3.4.5.13",
     "points": [[50.0, 50.0], [80.0, 70.0]], "text": ""},
    {"id": 3, "kind": "text", "series_uid": "1.2.3.4.5", "slice": 13, "sop_instance_uid": "",
     "points": [[5.0, 6.0]], "text": "see prior"}
  ],
  "bookmarks": [{"series_uid": "1.2.3.4.5", "slice": 12, "sop_instance_uid": "1.2.3.4.5.12", "note": "teach"}]
})";
  // The seed itself must load, or the mutants test nothing.
  writeFile((dir / "seed.json").string(), seed);
  ASSERT_EQ(core::annotation::loadAnnotationsFile(dir / "seed.json").annotations.size(), 3u);
  Report report;
  Rng rng(181818);
  for (int i = 0; i < 300; ++i) {
    const std::string mutant = mutateJson(seed, rng);
    const fs::path file = dir / "annotations.json";
    writeFile(file.string(), mutant);
    std::string detail;
    std::size_t requested = 0;
    const Outcome o = runIsolated([&] { core::annotation::loadAnnotationsFile(file); }, budgetFor(mutant.size()), 20.0,
                                  detail, requested);
    report.add(o, "annotations #" + std::to_string(i), detail, requested);
  }
  expectClean(report);
}

TEST(Fuzz, LibraryImport) {
  // Folders of mutants beside good slices, imported without AI (the scan, the grouping and the library writes);
  // the good series must still be imported, whatever the mutants next to them do.
  const fs::path root = test::scratchDir("fuzz-import");
  std::vector<fs::path> good;
  for (const auto& entry : fs::recursive_directory_iterator(test::lungPetCtDx())) {
    if (entry.path().extension() == ".dcm") good.push_back(entry.path());
    if (good.size() == 3) break;
  }
  ASSERT_EQ(good.size(), 3u);
  Report report;
  Rng rng(18181818);
  const auto seeds = dicomSeeds();
  for (int batch = 0; batch < 6; ++batch) {
    const fs::path dir = root / ("batch" + std::to_string(batch));
    fs::create_directories(dir / "in");
    std::size_t largest = 0;
    for (std::size_t g = 0; g < good.size(); ++g) fs::copy_file(good[g], dir / "in" / ("good" + std::to_string(g) + ".dcm"));
    for (int i = 0; i < 16; ++i) {
      const std::string mutant = mutateBytes(readFile(seeds[rng.below(seeds.size())].string()), rng);
      largest = std::max(largest, mutant.size());
      writeFile((dir / "in" / ("m" + std::to_string(i) + ".dcm")).string(), mutant);
    }
    std::string detail;
    std::size_t requested = 0;
    const Outcome o = runIsolated(
        [&] {
          core::library::CaseLibrary library(dir / "library.sqlite");
          core::library::SeriesClassifier classifier(nullptr, nullptr, 1);
          core::library::ImportOptions options;
          options.threads = 1;
          const auto summary = core::library::importFolders(library, classifier, {dir / "in"}, options);
          if (summary.imported < 1) throw std::runtime_error("the good slices were not imported");
          if (library.studies().empty()) throw std::runtime_error("no study in the library");
        },
        budgetFor(largest), 60.0, detail, requested);
    report.add(o, "import batch " + std::to_string(batch), detail, requested);
  }
  expectClean(report);
}
