// DICOM Secondary Capture and Structured Report, checked by independent validators: dciodvfy (dicom3tools) and
// DCMTK's dsrdump must both accept them without an "Error" line.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>

#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmsr/dsrdoc.h>

#include "core/common/error.h"
#include "core/common/number_format.h"
#include "core/dicom/image_number.h"
#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/export/dicom_derived.h"
#include "core/lung/lung_analysis.h"
#include "tests/common/test_paths.h"
#include "tests/dicom/enhanced_ct.h"

using namespace lunglens::core;
using namespace lunglens::core::exporting;
namespace fs = std::filesystem;

namespace {

struct ToolRun {
  int status = -1;
  std::string output;
};

ToolRun run(const std::string& command) {
  ToolRun r;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), pipe)) r.output += buf.data();
  r.status = pclose(pipe);
  return r;
}

std::vector<std::string> errorLines(const std::string& output) {
  std::vector<std::string> errors;
  std::size_t start = 0;
  while (start < output.size()) {
    const std::size_t end = output.find('\n', start);
    const std::string line = output.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (line.find("Error") != std::string::npos || line.find("error") != std::string::npos) errors.push_back(line);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return errors;
}

const dicom::SeriesInfo& realSeries() {
  static const dicom::Catalog catalog = dicom::scan(lunglens::test::lungPetCtDx() / "Lung_Dx-A0001");
  return catalog.series.at(0);
}

// The lung analysis of the real series (loaded and analysed once, two threads: the machine is shared).
const lung::LungAnalysis& realAnalysis() {
  static const lung::LungAnalysis analysis = [] {
    dicom::LoadOptions load;
    load.threads = 2;
    const auto volume = dicom::loadSeries(realSeries(), load);
    lung::AnalysisOptions options;
    options.threads = 2;
    return lung::analyzeLungs(*volume, options);
  }();
  return analysis;
}

// The shared B40f series rewritten as one Enhanced CT file (30 frames, highest slice first: frame k is stack index
// 30 - k), scanned as a series; written once.
const dicom::SeriesInfo& enhancedSeries() {
  static const dicom::Catalog catalog = [] {
    const fs::path dir = lunglens::test::scratchDir("dicom-derived-enhanced-source");
    lunglens::test::writeEnhancedCt(lunglens::test::framesHighestFirst(), dir / "enhanced.dcm");
    return dicom::scan(dir);
  }();
  return catalog.series.at(0);
}

// An SR's IMAGE content items in document order, read back with DCMTK: the SOP instance each names, its frame list
// (empty: the whole instance) and the "Image number (Im)" NUM of the same flagged-slice container (0: none before it).
struct SrImageReference {
  std::string sop_class, sop_instance;
  std::vector<int> frames;
  int image_number = 0;
};
std::vector<SrImageReference> srImageReferences(const fs::path& file) {
  std::vector<SrImageReference> out;
  DcmFileFormat f;
  EXPECT_TRUE(f.loadFile(file.c_str()).good());
  DSRDocument doc;
  EXPECT_TRUE(doc.read(*f.getDataset()).good());
  DSRDocumentTree& tree = doc.getTree();
  if (tree.gotoRoot() == 0) return out;
  int imageNumber = 0;
  do {
    DSRContentItem& item = tree.getCurrentContentItem();
    if (item.getConceptName().getCodeValue() == "IMAGENUMBER" && item.getNumericValuePtr()) {
      imageNumber = std::stoi(item.getNumericValuePtr()->getNumericValue().c_str());
    }
    if (const DSRImageReferenceValue* ref = item.getImageReferencePtr()) {
      SrImageReference r{ref->getSOPClassUID().c_str(), ref->getSOPInstanceUID().c_str(), {}, imageNumber};
      for (std::size_t i = 1; i <= ref->getFrameList().getNumberOfItems(); ++i) {
        r.frames.push_back(ref->getFrameList().getItem(i));
      }
      out.push_back(r);
    }
  } while (tree.iterate() > 0);
  return out;
}

// The dsrdump line holding `text` (the concept name of a content item), or "".
std::string lineWith(const std::string& output, const std::string& text) {
  const std::size_t at = output.find(text);
  if (at == std::string::npos) return "";
  const std::size_t begin = output.rfind('\n', at) == std::string::npos ? 0 : output.rfind('\n', at) + 1;
  return output.substr(begin, output.find('\n', at) - begin);
}

AiResults resultsFor(const dicom::SeriesInfo& s) {
  AiResults r;
  r.study_uid = s.study_uid;
  r.series_uid = s.series_uid;
  r.model = {"LungLens demo classifier", "0.3.1", "trained 2026-11-20 on 12000 synthetic phantom slices, sha256 ab12",
             true};
  r.classes = {"covid", "pneumonia", "normal"};
  r.manifestation_classes = {"ggo", "consolidation", "fibrosis"};
  for (int i = 0; i < static_cast<int>(s.slices.size()); ++i) {
    const bool covid = i >= 20 && i < 24;
    r.slices.push_back({i, s.slices[i].sop_instance_uid, covid ? std::vector<double>{0.81, 0.12, 0.07}
                                                             : std::vector<double>{0.05, 0.10, 0.85},
                        covid ? std::vector<double>{0.7, 0.2, 0.1} : std::vector<double>{}});
  }
  r.verdict.class_name = "covid";
  r.verdict.numbers = {{"suspicious_slices", 4}, {"max_p_covid", 0.81}};
  r.verdict.rule = "COVID-19 when at least 3 consecutive slices have p(covid) >= 0.5";
  return r;
}

std::string tag(const fs::path& file, const DcmTagKey& key) {
  DcmFileFormat f;
  EXPECT_TRUE(f.loadFile(file.c_str()).good());
  OFString v;
  f.getDataset()->findAndGetOFStringArray(key, v);
  return v.c_str();
}

}  // namespace

TEST(DicomDerived, SecondaryCapturePassesDciodvfyAndJoinsTheStudy) {
  const auto& source = realSeries();
  const fs::path dir = lunglens::test::scratchDir("dicom-sc");
  SecondaryCaptureInput in;
  in.image.width = 64, in.image.height = 48;
  in.image.rgb.assign(64 * 48 * 3, 0);
  for (std::size_t i = 0; i < in.image.rgb.size(); i += 3) in.image.rgb[i] = static_cast<std::uint8_t>(i % 251);
  in.source_slices = {20};
  in.derivation = "Annotated LungLens view of slice 21";
  const DerivedSeries series = newDerivedSeries(source, "LungLens annotated images");
  const fs::path file = dir / "sc.dcm";
  const std::string uid = writeSecondaryCapture(in, source, series, file, false);

  const ToolRun v = run("dciodvfy '" + file.string() + "'");
  EXPECT_TRUE(errorLines(v.output).empty()) << v.output;
  EXPECT_EQ(v.status, 0) << v.output;
  EXPECT_EQ(tag(file, DCM_SOPInstanceUID), uid);
  EXPECT_EQ(tag(file, DCM_SOPClassUID), UID_SecondaryCaptureImageStorage);
  EXPECT_EQ(tag(file, DCM_StudyInstanceUID), source.study_uid);
  EXPECT_EQ(tag(file, DCM_SeriesInstanceUID), series.series_uid);
  EXPECT_NE(series.series_uid, source.series_uid);
  EXPECT_EQ(tag(file, DCM_PatientID), source.patient_id);
  EXPECT_EQ(tag(file, DCM_BurnedInAnnotation), "NO");
  EXPECT_EQ(tag(file, DCM_PatientOrientation), "L\\P") << "axial, radiological: patient left on image right";
  DcmFileFormat f;
  ASSERT_TRUE(f.loadFile(file.c_str()).good());
  DcmItem* ref = nullptr;
  ASSERT_TRUE(f.getDataset()->findAndGetSequenceItem(DCM_SourceImageSequence, ref, 0).good());
  OFString refUid;
  ref->findAndGetOFString(DCM_ReferencedSOPInstanceUID, refUid);
  EXPECT_EQ(refUid.c_str(), source.slices[20].sop_instance_uid);
  EXPECT_FALSE(ref->tagExists(DCM_ReferencedFrameNumber)) << "a single-frame source is referenced whole";
  const Uint8* pixels = nullptr;
  unsigned long count = 0;
  ASSERT_TRUE(f.getDataset()->findAndGetUint8Array(DCM_PixelData, pixels, &count).good());
  ASSERT_EQ(count, in.image.rgb.size());
  EXPECT_TRUE(std::equal(in.image.rgb.begin(), in.image.rgb.end(), pixels));

  // Never overwrites silently; refuses references outside the series and empty images.
  EXPECT_THROW(writeSecondaryCapture(in, source, series, file, false), InputError);
  in.source_slices = {static_cast<int>(source.slices.size())};
  EXPECT_THROW(writeSecondaryCapture(in, source, series, dir / "bad.dcm", false), InputError);
  EXPECT_FALSE(fs::exists(dir / "bad.dcm"));
}

TEST(DicomDerived, StructuredReportPassesDsrdumpAndDciodvfy) {
  const auto& source = realSeries();
  const fs::path dir = lunglens::test::scratchDir("dicom-sr");
  const AiResults results = resultsFor(source);
  const DerivedSeries series = newDerivedSeries(source, "LungLens AI results");
  const fs::path file = dir / "sr.dcm";
  const std::string uid = writeAiStructuredReport(results, source, series, file, false);
  EXPECT_FALSE(uid.empty());

  const ToolRun dump = run("dsrdump +Pl +Pu '" + file.string() + "'");
  EXPECT_EQ(dump.status, 0) << dump.output;
  EXPECT_TRUE(errorLines(dump.output).empty()) << dump.output;
  // The content a reader needs: model, provenance, synthetic flag, verdict and numbers, flagged slices with their
  // probabilities and SOP references.
  for (const std::string& want : std::vector<std::string>{"LungLens demo classifier", "0.3.1", "synthetic phantom", "COVID-19",
                                 "suspicious_slices", "0.81", "Probability of COVID-19", "Ground-glass opacity",
                                 "not for diagnostic use", source.slices[21].sop_instance_uid}) {
    EXPECT_NE(dump.output.find(want), std::string::npos) << "missing '" << want << "' in\n" << dump.output;
  }
  EXPECT_EQ(dump.output.find(source.slices[5].sop_instance_uid), std::string::npos) << "unflagged slice referenced";
  EXPECT_EQ(dump.output.find("Lung analysis"), std::string::npos) << "no lung analysis given, none written";

  const ToolRun v = run("dciodvfy '" + file.string() + "'");
  EXPECT_TRUE(errorLines(v.output).empty()) << v.output;
  EXPECT_EQ(v.status, 0) << v.output;
  EXPECT_EQ(tag(file, DCM_StudyInstanceUID), source.study_uid);
  EXPECT_EQ(tag(file, DCM_SeriesInstanceUID), series.series_uid);
  EXPECT_EQ(tag(file, DCM_Modality), "SR");
  // Single-frame sources: each flagged slice's instance, referenced whole (no frame list).
  const std::vector<SrImageReference> refs = srImageReferences(file);
  ASSERT_EQ(refs.size(), 4u);
  for (std::size_t k = 0; k < refs.size(); ++k) {
    EXPECT_EQ(refs[k].sop_instance, source.slices[20 + k].sop_instance_uid);
    EXPECT_TRUE(refs[k].frames.empty()) << "frame list on a single-frame source, reference " << k;
  }

  // Results of another series are refused.
  AiResults other = results;
  other.series_uid = "1.2.3.4";
  EXPECT_THROW(writeAiStructuredReport(other, source, series, dir / "other.dcm", false), InputError);
  EXPECT_FALSE(fs::exists(dir / "other.dcm"));
}

// Issue 13: the SR of a series unlike the model's training data says so and withholds the verdict and the slices.
TEST(DicomDerived, StructuredReportOfAnOutOfDistributionSeriesWithholdsTheVerdict) {
  const auto& source = realSeries();
  const fs::path dir = lunglens::test::scratchDir("dicom-sr-ood");
  AiResults results = resultsFor(source);
  results.ood = {true, static_cast<int>(source.slices.size()), static_cast<int>(source.slices.size()), true};
  const DerivedSeries series = newDerivedSeries(source, "LungLens AI results");
  const fs::path file = dir / "sr.dcm";
  writeAiStructuredReport(results, source, series, file, false);
  const ToolRun dump = run("dsrdump +Pl +Pu '" + file.string() + "'");
  EXPECT_EQ(dump.status, 0) << dump.output;
  EXPECT_TRUE(errorLines(dump.output).empty()) << dump.output;
  for (const std::string& want : std::vector<std::string>{"Resemblance to the training data", "scores withheld",
                                                          "Withheld: the series does not resemble"})
    EXPECT_NE(dump.output.find(want), std::string::npos) << "missing '" << want << "' in\n" << dump.output;
  EXPECT_EQ(dump.output.find(source.slices[21].sop_instance_uid), std::string::npos) << "withheld slice referenced";
  EXPECT_EQ(dump.output.find("suspicious_slices"), std::string::npos);
  const ToolRun v = run("dciodvfy '" + file.string() + "'");
  EXPECT_TRUE(errorLines(v.output).empty()) << v.output;
}

// Issue 12: the SR carries the lung analysis of the real series: volumes in ml, % per lung and zone, zone scores and
// the severity score in {score}, the HU bands, and the note that these are density measurements, not AI scores.
TEST(DicomDerived, StructuredReportCarriesTheLungAnalysis) {
  const auto& source = realSeries();
  const lung::LungAnalysis& a = realAnalysis();
  ASSERT_GT(a.both.volume_ml, 500) << "the real series is a chest CT: its lungs hold litres";
  const fs::path dir = lunglens::test::scratchDir("dicom-sr-lung");
  const fs::path file = dir / "sr.dcm";
  writeAiStructuredReport(resultsFor(source), source, newDerivedSeries(source, "LungLens AI results"), file, false,
                          &a);
  const ToolRun dump = run("dsrdump +Pl +Pu '" + file.string() + "'");
  EXPECT_EQ(dump.status, 0) << dump.output;
  EXPECT_TRUE(errorLines(dump.output).empty()) << dump.output;
  for (const std::string& want : std::vector<std::string>{
           "Lung analysis", "not an AI score", "Ground glass -700 to -250 HU, consolidation -250 to 100 HU",
           "Right lung volume", "Left lung volume", "Total lung volume", "Right lung: ground-glass opacity",
           "Left lung: consolidation", "Right upper zone: ground-glass opacity", "Left lower zone: consolidation",
           "Right middle zone: score (0-4)", "CT severity score (0-24)", "LungLens demo classifier"}) {
    EXPECT_NE(dump.output.find(want), std::string::npos) << "missing '" << want << "' in\n" << dump.output;
  }
  // Values and UCUM units as written (two decimals for volumes and percentages).
  const auto value = [](double v) { return "\"" + lunglens::core::significant(std::round(v * 100) / 100, 6) + "\""; };
  const std::string total = lineWith(dump.output, "Total lung volume");
  EXPECT_NE(total.find(value(a.both.volume_ml)), std::string::npos) << total;
  EXPECT_NE(total.find("ml"), std::string::npos) << total;
  const std::string ggo = lineWith(dump.output, "Left upper zone: ground-glass opacity");
  EXPECT_NE(ggo.find(value(a.zones[3].ggo_percent)), std::string::npos) << ggo;
  EXPECT_NE(ggo.find("%"), std::string::npos) << ggo;
  const std::string severity = lineWith(dump.output, "CT severity score (0-24)");
  EXPECT_NE(severity.find("\"" + std::to_string(a.severity_score) + "\""), std::string::npos) << severity;
  EXPECT_NE(severity.find("{score}"), std::string::npos) << severity;
  const std::string zone = lineWith(dump.output, "Right lower zone: score (0-4)");
  EXPECT_NE(zone.find("\"" + std::to_string(a.zone_scores[2]) + "\""), std::string::npos) << zone;

  const ToolRun v = run("dciodvfy '" + file.string() + "'");
  EXPECT_TRUE(errorLines(v.output).empty()) << v.output;
  EXPECT_EQ(v.status, 0) << v.output;
}

// Issue 14: a slice of an enhanced multi-frame source is one frame of its instance, so the SR's IMAGE references and
// the SC's Source Image Sequence name that frame (Referenced Frame Number, 1-based), and a PACS viewer opens it rather
// than the instance's first frame. The frames were written highest first: stack index z is frame 30 - z.
TEST(DicomDerived, ReferencesToAnEnhancedSourceNameTheFrame) {
  const dicom::SeriesInfo& source = enhancedSeries();
  ASSERT_EQ(source.slices.size(), 30u);
  ASSERT_EQ(dicom::numberingOf(source), dicom::Numbering::FrameNumber);
  const std::string instance = source.slices[0].sop_instance_uid;
  const fs::path dir = lunglens::test::scratchDir("dicom-derived-enhanced");

  // SR: flagged slices 20..23 are frames 10, 9, 8, 7 of the one instance; "Image number (Im)" is the same frame.
  const fs::path sr = dir / "sr.dcm";
  writeAiStructuredReport(resultsFor(source), source, newDerivedSeries(source, "LungLens AI results"), sr, false);
  const std::vector<SrImageReference> refs = srImageReferences(sr);
  ASSERT_EQ(refs.size(), 4u);
  for (std::size_t k = 0; k < refs.size(); ++k) {
    const int frame = 30 - (20 + static_cast<int>(k));
    EXPECT_EQ(refs[k].sop_instance, instance) << k;
    EXPECT_EQ(refs[k].sop_class, "1.2.840.10008.5.1.4.1.1.2.1") << "Enhanced CT Image Storage";
    EXPECT_EQ(refs[k].frames, std::vector<int>{frame}) << "reference " << k;
    EXPECT_EQ(refs[k].image_number, frame) << "the Im the SR shows is the frame it references";
  }
  const ToolRun dump = run("dsrdump +Pl +Pu '" + sr.string() + "'");
  EXPECT_EQ(dump.status, 0) << dump.output;
  EXPECT_TRUE(errorLines(dump.output).empty()) << dump.output;
  const ToolRun srCheck = run("dciodvfy '" + sr.string() + "'");
  EXPECT_TRUE(errorLines(srCheck.output).empty()) << srCheck.output;
  EXPECT_EQ(srCheck.status, 0) << srCheck.output;

  // SC showing slices 20 and 3: frames 10 and 27, in that order.
  SecondaryCaptureInput in;
  in.image.width = 32, in.image.height = 32;
  in.image.rgb.assign(32 * 32 * 3, 90);
  in.source_slices = {20, 3};
  in.derivation = "Annotated LungLens view of frame 10";
  const fs::path sc = dir / "sc.dcm";
  writeSecondaryCapture(in, source, newDerivedSeries(source, "LungLens annotated images"), sc, false);
  DcmFileFormat f;
  ASSERT_TRUE(f.loadFile(sc.c_str()).good());
  const std::vector<std::string> wantFrames{"10", "27"};
  for (unsigned long k = 0; k < wantFrames.size(); ++k) {
    DcmItem* ref = nullptr;
    ASSERT_TRUE(f.getDataset()->findAndGetSequenceItem(DCM_SourceImageSequence, ref, static_cast<int>(k)).good());
    OFString uid, sopClass, frame;
    ref->findAndGetOFString(DCM_ReferencedSOPInstanceUID, uid);
    ref->findAndGetOFString(DCM_ReferencedSOPClassUID, sopClass);
    ref->findAndGetOFStringArray(DCM_ReferencedFrameNumber, frame);
    EXPECT_EQ(uid.c_str(), instance) << k;
    EXPECT_EQ(sopClass, "1.2.840.10008.5.1.4.1.1.2.1") << k;
    EXPECT_EQ(frame.c_str(), wantFrames[k]) << "source image " << k;
  }
  const ToolRun scCheck = run("dciodvfy '" + sc.string() + "'");
  EXPECT_TRUE(errorLines(scCheck.output).empty()) << scCheck.output;
  EXPECT_EQ(scCheck.status, 0) << scCheck.output;
}

TEST(DicomDerived, FailedWriteLeavesNoFile) {
  const auto& source = realSeries();
  const fs::path dir = lunglens::test::scratchDir("dicom-fail");
  std::ofstream(dir / "not-a-folder") << "x";
  const fs::path target = dir / "not-a-folder" / "sr.dcm";
  EXPECT_THROW(writeAiStructuredReport(resultsFor(source), source, newDerivedSeries(source, "x"), target, false),
               InputError);
  for (const auto& entry : fs::directory_iterator(dir)) EXPECT_EQ(entry.path().filename(), "not-a-folder");
}
