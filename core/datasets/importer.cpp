#include "core/datasets/importer.h"

#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <set>

#include "core/common/error.h"
#include "core/common/paths.h"
#include "core/datasets/csv_table.h"

namespace lunglens::core::datasets {

namespace fs = std::filesystem;

const std::vector<FormatInfo>& formats() {
  static const std::vector<FormatInfo> list = {
      {"dicom-labels",
       "SOURCE holds DICOM series (any folder depth; one subject = one PatientID). --labels CSV (default "
       "SOURCE/labels.csv) has columns subject_id,label and optionally series_uid and sop_instance_uid or "
       "instance_number: a row with only subject_id labels every slice of the subject, with series_uid every slice "
       "of that series, with sop_instance_uid / instance_number that slice. The most specific row wins; slices no "
       "row reaches are left out (counted in the notes).",
       "any DICOM collection with a label table, e.g. TCIA collections with clinical spreadsheets",
       "the licence of the collection you import (set it with --licence; TCIA collections are mostly CC BY 4.0)",
       "cite the collection as its publisher asks"},
      {"covid-ct-md",
       "SOURCE/<class folder>/<case folder>/*.dcm with class folders 'COVID-19 Cases', 'Cap Cases', 'Normal Cases' "
       "(any name containing covid, cap or normal); the slice-level label array (--slice-labels, default "
       "SOURCE/*slice*.npy, e.g. Slice-level-labels-updated-1.npy: one row per labelled case, column k = 1 when the "
       "case's k-th DICOM file in file-name order shows infection) and the index CSV (--labels, default "
       "SOURCE/*index*.csv: a column naming the case folder - Folder/ID, folder, case, patient or name - and "
       "optionally 'Label Index', the case's array row; without it index row r is array row r). Labelled "
       "covid/CAP cases: infected slices take the case's class, the others normal; normal cases: every slice "
       "normal; covid/CAP cases without slice labels are left out (notes).",
       "COVID-CT-MD (Afshar et al., Sci Data 2021): 169 COVID-19, 60 CAP, 76 normal CT scans, DICOM",
       "CC BY 4.0 (figshare, doi:10.6084/m9.figshare.12991592)",
       "Afshar P, Heidarian S, Enshaei N, et al. COVID-CT-MD, COVID-19 computed tomography scan dataset applicable "
       "in machine learning and deep learning. Sci Data 8, 121 (2021). doi:10.1038/s41597-021-00900-3"},
      {"cc-ccii",
       "SOURCE/<NCP|CP|Normal>/<patient>/<scan>/<slice>.png|jpg (8-bit lung-window slices; slice order = file name "
       "order, numbers compared as numbers). NCP -> covid, CP -> other_pneumonia, Normal -> normal; every slice of a "
       "scan takes its class. With the lesion-segmentation subset (SOURCE/ct_lesion_seg/image/<patient>/<scan>/ and "
       "SOURCE/ct_lesion_seg/mask/<patient>/<scan>/, masks 0 background, 1 lung field, 2 ground-glass opacity, 3 "
       "consolidation) those scans are imported from it instead: slices with lesion pixels covid, the others "
       "normal, with GGO/consolidation fractions.",
       "CC-CCII, China Consortium of Chest CT Image Investigation (Zhang et al., Cell 2020): 617,775 slices of "
       "6,752 scans of 4,154 patients, NCP / common pneumonia / normal, with a 750-slice lesion segmentation subset",
       "the CC-CCII terms of use (http://ncov-ai.big.ac.cn/download): academic, non-commercial research use; "
       "read them before use",
       "Zhang K, Liu X, Shen J, et al. Clinically Applicable AI System for Accurate Diagnosis, Quantitative "
       "Measurements, and Prognosis of COVID-19 Pneumonia Using Computed Tomography. Cell 181(6), 2020. "
       "doi:10.1016/j.cell.2020.04.045"},
      {"nifti-masks",
       "SOURCE/<images folder>/<case>.nii[.gz] CT volumes in HU (scl_slope/scl_inter applied) and SOURCE/<masks "
       "folder>/<case>[_mask|_seg|...].nii[.gz] infection masks of the same size and spacing. Folders found by name "
       "(images: ct, images, volumes, studies, COVID-19-CT-Seg_20cases, tr_im; masks: masks, infection_mask, "
       "Infection_Mask, labels) or given with --images / --masks. Mask values: any non-zero value is infection; "
       "--mask-values ggo=1,consolidation=2 names manifestations. A slice with at least --min-finding-pixels "
       "infection pixels is covid, else normal; every case is a covid subject.",
       "COVID-19 CT Lung and Infection Segmentation Dataset (Ma et al., Zenodo 3757476); MosMedData CT-1..4 "
       "masked studies (studies/ + masks/); MedSeg COVID-19 CT segmentation (GGO=1, consolidation=2)",
       "COVID-19-CT-Seg: CC BY-NC-SA 4.0 (Zenodo 3757476); MosMedData: CC BY-NC-ND 3.0; MedSeg: see medicalsegmentation.com "
       "(set --licence to the set you import)",
       "Ma J, Wang Y, An X, et al. Towards Data-Efficient Learning: A Benchmark for COVID-19 CT Lung and Infection "
       "Segmentation. Med Phys 2021. doi:10.1002/mp.14676 (or the citation of the set you import)"},
      {"images-csv",
       "--labels CSV (default SOURCE/labels.csv) with header path,subject_id,label (paths relative to the CSV); "
       "8-bit lung-window PNG/JPEG slices; labels covid, other_pneumonia, normal (or COVID-19, NCP, CAP, CP, "
       "Normal).",
       "any folder of 8-bit slices with a label table (e.g. the COVID-CT / SARS-CoV-2 CT-scan image sets)",
       "the licence of the images you list (set it with --licence)",
       "cite the images' source"},
  };
  return list;
}

const FormatInfo& formatInfo(const std::string& name) {
  for (const auto& f : formats())
    if (f.name == name) return f;
  std::string names;
  for (const auto& f : formats()) names += (names.empty() ? "" : ", ") + f.name;
  throw InputError("--format", "'" + name + "' is not one of " + names);
}

std::string canonicalLabel(const std::string& text) {
  const std::string t = toLower(trim(text));
  static const std::map<std::string, std::string> known = {
      {"covid", "covid"},         {"covid-19", "covid"},           {"covid19", "covid"},
      {"ncp", "covid"},           {"sars-cov-2", "covid"},         {"covid-19 cases", "covid"},
      {"other_pneumonia", "other_pneumonia"}, {"cap", "other_pneumonia"}, {"cp", "other_pneumonia"},
      {"pneumonia", "other_pneumonia"}, {"cap cases", "other_pneumonia"}, {"normal", "normal"},
      {"normal cases", "normal"}, {"healthy", "normal"},           {"non-covid", ""}};
  const auto it = known.find(t);
  return it == known.end() ? "" : it->second;
}

std::string relativeTo(const fs::path& file, const fs::path& root) {
  return fs::relative(file, root).generic_string();
}

namespace {

std::string nowUtc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

// A subject in two classes is one person counted twice: a leak across splits and a contradiction.
void checkSubjects(const CanonicalDataset& d, Problems& problems) {
  std::map<std::string, std::string> seen;
  for (const auto& s : d.subjects) {
    const auto [it, fresh] = seen.emplace(s.id, s.label);
    if (!fresh)
      problems.add("subject '" + s.id + "'", it->second == s.label
                                                 ? "listed twice"
                                                 : "in two classes (" + it->second + " and " + s.label + ")");
  }
}

}  // namespace

CanonicalDataset importDataset(const ImportOptions& options) {
  const FormatInfo& info = formatInfo(options.format);
  if (!fs::is_directory(options.source)) throw InputError(options.source.string(), "is not a folder");
  if (options.out.empty()) throw InputError("--out", "no dataset folder given");
  if (fs::exists(options.out) && !options.overwrite)
    throw InputError(options.out.string(), "already exists (--overwrite replaces it)");
  CanonicalDataset d;
  d.format = info.name;
  d.source = fs::canonical(options.source).string();
  d.name = options.name.empty() ? fs::path(d.source).filename().string() : options.name;
  d.licence = options.licence.empty() ? info.licence : options.licence;
  d.citation = options.citation.empty() ? info.citation : options.citation;
  d.imported_utc = nowUtc();
  d.tool = "lunglens-cli dataset import --format " + info.name;
  Problems problems;
  if (info.name == "dicom-labels") importDicomLabels(options, d, problems);
  else if (info.name == "covid-ct-md") importCovidCtMd(options, d, problems);
  else if (info.name == "cc-ccii") importCcCcii(options, d, problems);
  else if (info.name == "nifti-masks") importNiftiMasks(options, d, problems);
  else importImagesCsv(options, d, problems);
  checkSubjects(d, problems);
  problems.throwIfAny(options.source.string());
  std::sort(d.subjects.begin(), d.subjects.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  validate(d, options.source.string(), /*check_files=*/true);

  // Written whole or not at all: a temporary folder beside --out, renamed into place.
  const fs::path out = fs::absolute(options.out).lexically_normal();
  const fs::path parent = out.parent_path();
  fs::create_directories(parent);
  const fs::path tmp = parent / ("." + out.filename().string() + ".import-" + std::to_string(::getpid()));
  fs::remove_all(tmp);
  try {
    fs::create_directories(tmp);
    writeFileAtomically(tmp / kManifestFile, toJson(d), false);
    if (fs::exists(out)) {
      const fs::path old = parent / ("." + out.filename().string() + ".old-" + std::to_string(::getpid()));
      fs::rename(out, old);
      fs::rename(tmp, out);
      fs::remove_all(old);
    } else {
      fs::rename(tmp, out);
    }
  } catch (const fs::filesystem_error& e) {
    std::error_code ignored;
    fs::remove_all(tmp, ignored);
    throw InputError(out.string(), std::string("cannot write the dataset: ") + e.what());
  }
  return d;
}

}  // namespace lunglens::core::datasets
