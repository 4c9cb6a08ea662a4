#pragma once
// Small datasets in the exact layouts the importers read (covid-ct-md, cc-ccii, dicom-labels, nifti-masks,
// images-csv), made from phantoms written as DICOM, PNG or NIfTI, with the phantoms' truth to check imports against.
#include <filesystem>
#include <string>
#include <vector>

#include "core/phantom/generator.h"

namespace lunglens::test::datasets {

struct FixtureSubject {
  std::string id;          // subject_0001 ...
  std::string label;       // the phantom's diagnosis: covid, other_pneumonia, normal
  std::string patient_id;  // its DICOM PatientID
  std::string series_uid;
  std::vector<std::string> sop_uids;      // by slice index (0 = most inferior = InstanceNumber 1)
  std::vector<std::string> slice_labels;  // truth, by slice index
  core::phantom::Phantom phantom;
  std::filesystem::path study;  // writePhantomStudy folder (dicom/, truth.json, labels.nii.gz)
};

inline constexpr int kSlices = 8;
inline constexpr int kSize = 64;

// Seven phantoms (diagnoses covid, other_pneumonia, normal in turn: 3 covid, 2 each other), 64 px, 8 slices, made
// once per process under a suite scratch folder.
const std::vector<FixtureSubject>& phantomSubjects();
std::filesystem::path fixtureRoot();

// Each writes one layout under `root` (created) and returns what `dataset import` takes as SOURCE.
std::filesystem::path writeDicomLabels(const std::filesystem::path& root);
std::filesystem::path writeCovidCtMd(const std::filesystem::path& root);
// The second covid subject also in the lesion-segmentation subset.
std::filesystem::path writeCcCcii(const std::filesystem::path& root);
// Covid subjects only; the second one stored mirrored left-right with an affine that says so.
std::filesystem::path writeNiftiMasks(const std::filesystem::path& root);
std::filesystem::path writeImagesCsv(const std::filesystem::path& root);

// Lung-window 8-bit rendering of a phantom slice (as the 8-bit public sets store slices).
std::vector<std::uint8_t> lungWindow(const FixtureSubject& s, int k);
// COVID lesion ids (ggo, crazy paving, consolidation, fibrotic streaks) on slice k: truth for masks.
bool hasCovidLesion(const FixtureSubject& s, int k, bool include_fibrotic = true);

// Runs lunglens-cli; returns its exit code, output in `log`.
int cli(const std::string& arguments, const std::filesystem::path& log);
std::string readText(const std::filesystem::path& file);

}  // namespace lunglens::test::datasets
