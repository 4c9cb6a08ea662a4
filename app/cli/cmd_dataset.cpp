// lunglens-cli dataset: import a public COVID-19 CT dataset from its own layout into the canonical dataset that
// train and evaluate read (core/datasets), check one, list the formats, or build its preprocessed cache.
#include <iostream>
#include <map>

#include "app/cli/args.h"
#include "app/cli/command_registry.h"
#include "core/common/error.h"
#include "core/common/parallel.h"
#include "core/datasets/canonical.h"
#include "core/datasets/importer.h"
#include "core/datasets/slice_cache.h"
#include "core/inference/manifest.h"
#include "core/training/architecture.h"

namespace lunglens::cli {
namespace {

namespace fs = std::filesystem;
namespace ds = core::datasets;

// "ggo=1,consolidation=2,fibrotic_streaks=3" -> mask value -> manifestation index.
std::map<int, int> maskValues(const std::string& text) {
  static const std::map<std::string, int> kinds = {{"ggo", 0}, {"consolidation", 1}, {"fibrotic_streaks", 2}};
  std::map<int, int> out;
  for (const auto& part : splitList(text)) {
    const auto eq = part.find('=');
    const auto kind = kinds.find(part.substr(0, eq));
    if (eq == std::string::npos || kind == kinds.end())
      throw UsageError("--mask-values takes ggo=V,consolidation=V,fibrotic_streaks=V, not '" + part + "'");
    try {
      out[std::stoi(part.substr(eq + 1))] = kind->second;
    } catch (const std::exception&) {
      throw UsageError("--mask-values: '" + part.substr(eq + 1) + "' is not a number");
    }
  }
  return out;
}

void printSummary(const ds::CanonicalDataset& d, const fs::path& dir) {
  std::map<std::string, int> subjects, slices;
  for (const auto& s : d.subjects) {
    ++subjects[s.label];
    for (const auto& series : s.series)
      for (const auto& sl : series.slices) ++slices[sl.label];
  }
  std::cout << "dataset " << d.name << " (" << d.format << ") in " << dir.string() << "\n"
            << "  subjects: " << d.subjects.size() << " (covid " << subjects["covid"] << ", other_pneumonia "
            << subjects["other_pneumonia"] << ", normal " << subjects["normal"] << ")\n"
            << "  slices:   " << d.sliceCount() << " (covid " << slices["covid"] << ", other_pneumonia "
            << slices["other_pneumonia"] << ", normal " << slices["normal"] << ")\n"
            << "  licence:  " << d.licence << "\n";
  for (const auto& note : d.notes) std::cout << "  note: " << note << "\n";
}

int runImport(const Args& args) {
  if (args.positionals().size() != 2) throw UsageError("dataset import needs one SOURCE folder");
  ds::ImportOptions o;
  o.format = args.require("format");
  o.source = args.positionals()[1];
  o.out = args.require("out");
  o.labels = args.value("labels").value_or("");
  o.slice_labels = args.value("slice-labels").value_or("");
  o.name = args.value("name").value_or("");
  o.licence = args.value("licence").value_or("");
  o.citation = args.value("citation").value_or("");
  o.images_dir = args.value("images").value_or("");
  o.masks_dir = args.value("masks").value_or("");
  if (args.value("mask-values")) o.mask_manifestation = maskValues(*args.value("mask-values"));
  o.min_finding_pixels = args.intValue("min-finding-pixels", 1);
  o.threads = args.intValue("threads", 0) > 0 ? args.intValue("threads", 0) : core::defaultThreadCount();
  o.overwrite = args.flag("overwrite");
  o.allow_uneven_spacing = args.flag("allow-uneven-spacing");
  o.progress = [](const std::string& line) { std::cerr << "dataset import: " << line << "\n"; };
  const ds::CanonicalDataset d = ds::importDataset(o);
  printSummary(d, o.out);
  return kOk;
}

int runCheck(const Args& args) {
  if (args.positionals().size() != 2) throw UsageError("dataset check needs one DATASET_DIR");
  const fs::path dir = args.positionals()[1];
  const ds::CanonicalDataset d = ds::readDataset(dir);
  ds::validate(d, (dir / ds::kManifestFile).string(), /*check_files=*/true);
  printSummary(d, dir);
  return kOk;
}

int runCache(const Args& args) {
  if (args.positionals().size() != 2) throw UsageError("dataset cache needs one DATASET_DIR");
  const fs::path dir = args.positionals()[1];
  const int size = args.intValue("input-size", 224);
  if (size < 8 || size > 4096) throw UsageError("--input-size must be in 8..4096");
  const ds::CanonicalDataset d = ds::readDataset(dir);
  core::training::NetworkSpec unused;
  const core::inference::InputSpec spec =
      core::training::trainingManifest(core::inference::Task::Diagnosis, size, unused).input;
  ds::CacheOptions o;
  o.threads = args.intValue("threads", 0) > 0 ? args.intValue("threads", 0) : core::defaultThreadCount();
  o.progress = [](int done, int total) {
    std::cerr << "\rdataset cache: " << done << "/" << total << " slices" << (done == total ? "\n" : "") << std::flush;
  };
  const auto cache = ds::SliceCache::open(dir, d, spec, o);
  std::cout << (cache->builtNow() ? "built " : "up to date: ") << cache->folder().string() << " (" << cache->count()
            << " slices, " << cache->bytesPerImage() << " bytes each)\n";
  return kOk;
}

void printFormats() {
  for (const auto& f : ds::formats())
    std::cout << f.name << "\n  layout:  " << f.layout << "\n  fits:    " << f.fits << "\n  licence: " << f.licence
              << "\n  cite:    " << f.citation << "\n\n";
}

int runDataset(const Args& args) {
  const auto& pos = args.positionals();
  if (pos.empty()) throw UsageError("dataset needs a verb: import, check, cache or formats");
  const std::string& verb = pos.front();
  if (verb == "import") return runImport(args);
  if (verb == "check") return runCheck(args);
  if (verb == "cache") return runCache(args);
  if (verb == "formats") {
    printFormats();
    return kOk;
  }
  throw UsageError("dataset: unknown verb '" + verb + "' (import, check, cache, formats)");
}

const RegisterCommand reg{
    {"dataset", "import SOURCE | check DATASET_DIR | cache DATASET_DIR | formats",
     "Imports a public COVID-19 CT dataset into the canonical dataset that train and evaluate read (import), "
     "validates one (check), builds its preprocessed slice cache (cache), or lists the formats with their layout, "
     "dataset and licence (formats).",
     {{"format", "dicom-labels|covid-ct-md|cc-ccii|nifti-masks|images-csv", "import: the source's layout (required)"},
      {"out", "DATASET_DIR", "import: where the canonical dataset is written (required)"},
      {"labels", "CSV", "import: the subject/series labels file, where the format has one"},
      {"slice-labels", "NPY", "import: per-slice labels (covid-ct-md)"},
      {"images", "DIR", "import: the image folder (nifti-masks, images-csv)"},
      {"masks", "DIR", "import: the finding masks folder (nifti-masks)"},
      {"mask-values", "ggo=V,consolidation=V,fibrotic_streaks=V", "import: mask label values per manifestation"},
      {"min-finding-pixels", "N", "import: smallest finding (mask pixels) that labels a slice (default 1)"},
      {"name", "NAME", "import: the dataset's name (default: the format's)"},
      {"licence", "TEXT", "import: the licence recorded with the dataset"},
      {"citation", "TEXT", "import: the citation recorded with the dataset"},
      {"allow-uneven-spacing", "", "import: accept series whose slice spacing varies"},
      {"overwrite", "", "import: replace an existing DATASET_DIR"},
      {"input-size", "PX", "cache: the model input size the cache is built for (default 224)"},
      {"threads", "N", "import, cache: worker threads (default: all cores)"}},
     &runDataset}};

}  // namespace
}  // namespace lunglens::cli
