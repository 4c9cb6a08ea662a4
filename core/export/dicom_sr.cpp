// Comprehensive SR of the AI results, in the source study as a new series. Concepts without a standard code use
// the private coding scheme 99LUNGLENS (documented in docs/EXPORT.md).
#include <cmath>
#include <cstdio>

#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmsr/dsrdoc.h>

#include "core/dicom/image_number.h"
#include "core/common/error.h"
#include "core/common/number_format.h"
#include "core/export/dicom_derived.h"
#include "core/export/dicom_write_common.h"
#include "core/export/lung_report.h"

namespace lunglens::core::exporting {
namespace {

using detail::check;
constexpr const char* kScheme = "99LUNGLENS";

DSRCodedEntryValue code(const std::string& value, const std::string& meaning) {
  return DSRCodedEntryValue(value.substr(0, 16).c_str(), kScheme, meaning.substr(0, 64).c_str());
}

// Adds items to a document tree, keeping the cursor where the caller expects: below (`child`) or after (`next`).
class TreeWriter {
 public:
  explicit TreeWriter(DSRDocumentTree& tree) : tree_(tree) {}

  void child(DSRTypes::E_RelationshipType rel, DSRTypes::E_ValueType type, const DSRCodedEntryValue& concept) {
    check(tree_.addChildContentItem(rel, type, concept).good(), "structured report", "cannot add a content item");
  }
  void next(DSRTypes::E_RelationshipType rel, DSRTypes::E_ValueType type, const DSRCodedEntryValue& concept) {
    check(tree_.addContentItem(rel, type, concept).good(), "structured report", "cannot add a content item");
  }
  void text(const std::string& value) {
    check(tree_.getCurrentContentItem().setStringValue(value.empty() ? "-" : value.c_str(), OFFalse).good(),
          "structured report", "cannot set a text value");
  }
  void number(double value, const DSRCodedEntryValue& units = DSRCodedEntryValue("1", "UCUM", "no units")) {
    const DSRNumericMeasurementValue v(significant(value, 6).c_str(), units);
    check(tree_.getCurrentContentItem().setNumericValue(v).good(), "structured report", "cannot set a number");
  }
  void codeValue(const DSRCodedEntryValue& v) {
    check(tree_.getCurrentContentItem().setCodeValue(v).good(), "structured report", "cannot set a code value");
  }
  // `frame` (1-based) names one frame of a multi-frame instance; 0 references the whole (single-frame) instance.
  void image(const std::string& sopClass, const std::string& sopInstance, int frame) {
    DSRImageReferenceValue value(sopClass.c_str(), sopInstance.c_str());
    if (frame > 0) value.getFrameList().addItem(frame);
    check(tree_.getCurrentContentItem().setImageReference(value).good(), "structured report",
          "cannot set an image reference to " + sopInstance);
  }
  void up() { tree_.goUp(); }

 private:
  DSRDocumentTree& tree_;
};

double round2(double v) { return std::round(v * 100.0) / 100.0; }

// The lung analysis as one container after the AI results (the cursor stays on it). UCUM units: ml, %, {score}.
void writeLungAnalysis(TreeWriter& w, const lung::LungAnalysis& a) {
  const DSRCodedEntryValue ml("ml", "UCUM", "milliliter"), pct("%", "UCUM", "percent"),
      score("{score}", "UCUM", "score");
  w.next(DSRTypes::RT_contains, DSRTypes::VT_Container, code("LUNG", "Lung analysis"));
  w.child(DSRTypes::RT_contains, DSRTypes::VT_Text, code("LUNGMETHOD", "Method"));
  w.text(kLungKindNote);
  w.next(DSRTypes::RT_contains, DSRTypes::VT_Text, code("LUNGHUBANDS", "HU bands"));
  w.text(lungBandsText(a.bands));
  w.next(DSRTypes::RT_contains, DSRTypes::VT_Num, code("LUNGVOL-R", "Right lung volume"));
  w.number(round2(a.right.volume_ml), ml);
  w.next(DSRTypes::RT_contains, DSRTypes::VT_Num, code("LUNGVOL-L", "Left lung volume"));
  w.number(round2(a.left.volume_ml), ml);
  w.next(DSRTypes::RT_contains, DSRTypes::VT_Num, code("LUNGVOL", "Total lung volume"));
  w.number(round2(a.both.volume_ml), ml);
  // % of a region's volume in each band; code values: GGO-R, CONS-Z3, ... (at most 16 characters).
  auto involvement = [&](const std::string& key, const std::string& label, const lung::RegionStats& s) {
    w.next(DSRTypes::RT_contains, DSRTypes::VT_Num, code("GGO-" + key, label + ": ground-glass opacity"));
    w.number(round2(s.ggo_percent), pct);
    w.next(DSRTypes::RT_contains, DSRTypes::VT_Num, code("CONS-" + key, label + ": consolidation"));
    w.number(round2(s.consolidation_percent), pct);
  };
  involvement("R", "Right lung", a.right);
  involvement("L", "Left lung", a.left);
  involvement("B", "Both lungs", a.both);
  for (int k = 0; k < lung::kZoneCount; ++k) {
    const std::string key = "Z" + std::to_string(k + 1);
    const std::string label = lungZoneLabel(static_cast<lung::Zone>(k + 1)) + " zone";
    involvement(key, label, a.zones[static_cast<std::size_t>(k)]);
    w.next(DSRTypes::RT_contains, DSRTypes::VT_Num, code("SCORE-" + key, label + ": score (0-4)"));
    w.number(a.zone_scores[static_cast<std::size_t>(k)], score);
  }
  w.next(DSRTypes::RT_contains, DSRTypes::VT_Num, code("SEVERITY", "CT severity score (0-24)"));
  w.number(a.severity_score, score);
  for (const std::string& warning : a.warnings) {
    w.next(DSRTypes::RT_contains, DSRTypes::VT_Text, code("LUNGWARNING", "Lung analysis warning"));
    w.text(warning);
  }
  w.up();
}

}  // namespace

std::string writeAiStructuredReport(const AiResults& r, const dicom::SeriesInfo& source, const DerivedSeries& series,
                                    const std::filesystem::path& file, bool overwrite, const lung::LungAnalysis* lung) {
  if (source.study_uid.empty()) throw InputError(file.string(), "the source series has no StudyInstanceUID");
  if (!r.series_uid.empty() && r.series_uid != source.series_uid) {
    throw InputError(file.string(), "the AI results belong to series " + r.series_uid + ", not " + source.series_uid);
  }
  DSRDocument doc(DSRTypes::DT_ComprehensiveSR);
  doc.setSpecificCharacterSetType(DSRTypes::CS_UTF8);
  check(doc.createNewSeriesInStudy(source.study_uid.c_str(), OFFalse).good(), file.string(), "bad study UID");
  doc.setPatientName(source.patient_name.c_str(), OFFalse);
  doc.setPatientID(source.patient_id.c_str(), OFFalse);
  doc.setPatientBirthDate(source.patient_birth_date.c_str(), OFFalse);
  doc.setPatientSex(source.patient_sex.c_str(), OFFalse);
  doc.setStudyDate(source.study_date.c_str(), OFFalse);
  doc.setStudyTime(source.study_time.c_str(), OFFalse);
  doc.setAccessionNumber(source.accession_number.c_str(), OFFalse);
  doc.setStudyDescription(source.study_description.c_str(), OFFalse);
  doc.setSeriesDescription(series.description.c_str(), OFFalse);
  doc.setSeriesNumber(std::to_string(series.series_number).c_str(), OFFalse);
  doc.setInstanceNumber("1");
  doc.setManufacturer("LungLens");
  // Declare the private scheme, so readers know whose codes these are.
  doc.getCodingSchemeIdentification().addItem(kScheme);
  doc.getCodingSchemeIdentification().setCodingSchemeName("LungLens private codes (AI reading aid results, lung analysis)");
  doc.getCodingSchemeIdentification().setCodingSchemeResponsibleOrganization("LungLens project");

  TreeWriter w(doc.getTree());
  check(doc.getTree().addContentItem(DSRTypes::RT_isRoot, DSRTypes::VT_Container) > 0, file.string(), "empty tree");
  check(doc.getTree().getCurrentContentItem().setConceptName(
                DSRCodedEntryValue("18748-4", "LN", "Diagnostic imaging report")).good(),
        file.string(), "cannot name the report");

  // Who observed: a device, the model.
  w.child(DSRTypes::RT_hasObsContext, DSRTypes::VT_Code, DSRCodedEntryValue("121005", "DCM", "Observer Type"));
  w.codeValue(DSRCodedEntryValue("121007", "DCM", "Device"));
  w.next(DSRTypes::RT_hasObsContext, DSRTypes::VT_UIDRef, DSRCodedEntryValue("121012", "DCM", "Device Observer UID"));
  check(doc.getTree().getCurrentContentItem().setStringValue(newDicomUid().c_str()).good(), file.string(), "UID");
  w.next(DSRTypes::RT_hasObsContext, DSRTypes::VT_Text, DSRCodedEntryValue("121013", "DCM", "Device Observer Name"));
  w.text("LungLens");

  // The model and its provenance.
  w.next(DSRTypes::RT_contains, DSRTypes::VT_Container, code("MODEL", "AI model"));
  w.child(DSRTypes::RT_contains, DSRTypes::VT_Text, DSRCodedEntryValue("111001", "DCM", "Algorithm Name"));
  w.text(r.model.name);
  w.next(DSRTypes::RT_contains, DSRTypes::VT_Text, DSRCodedEntryValue("111003", "DCM", "Algorithm Version"));
  w.text(r.model.version);
  w.next(DSRTypes::RT_contains, DSRTypes::VT_Text, code("PROVENANCE", "Model provenance"));
  w.text(r.model.provenance);
  w.next(DSRTypes::RT_contains, DSRTypes::VT_Text, code("TRAININGDATA", "Training data"));
  w.text(r.model.trained_on_synthetic ? "Synthetic phantoms (not patient data)" : "Not synthetic");
  w.up();
  w.next(DSRTypes::RT_contains, DSRTypes::VT_Text, code("DISCLAIMER", "Disclaimer"));
  w.text(disclaimerText(r.model));
  // Whether the series resembles the model's training data (its OOD guard): the counts always, the warning when not.
  w.next(DSRTypes::RT_contains, DSRTypes::VT_Text, code("OODCHECK", "Resemblance to the training data"));
  w.text(r.ood.out_of_distribution ? oodWarningText(r) : inference::oodCountsText(r.ood));

  // The study verdict and what it rests on (withheld for a series unlike the training data).
  w.next(DSRTypes::RT_contains, DSRTypes::VT_Container, code("VERDICT", "Study verdict"));
  w.child(DSRTypes::RT_contains, DSRTypes::VT_Text, code("VERDICTCLASS", "Verdict class"));
  w.text(r.withheld() ? "Withheld: the series does not resemble the model's training data"
         : r.verdict.class_name.empty() ? "No verdict"
                                        : displayClassName(r.verdict.class_name));
  int n = 0;
  for (const auto& [name, value] : r.withheld() ? std::map<std::string, double>{} : r.verdict.numbers) {
    // Code values are at most 16 characters: number them, the meaning carries the name.
    w.next(DSRTypes::RT_contains, DSRTypes::VT_Num, code("VERDICTNUM" + std::to_string(++n), name));
    w.number(value);
  }
  w.next(DSRTypes::RT_contains, DSRTypes::VT_Text, code("RULE", "Verdict rule"));
  w.text(r.verdict.rule);
  w.up();

  // The flagged slices, each with its probabilities and a reference to its CT instance.
  const std::string sopClass = detail::sourceSopClassUid(source);
  const std::vector<int> flagged = suspiciousSlices(r);
  w.next(DSRTypes::RT_contains, DSRTypes::VT_Container, code("FLAGGED", "Flagged slices"));
  w.child(DSRTypes::RT_contains, DSRTypes::VT_Num, code("FLAGGEDCOUNT", "Number of flagged slices"));
  w.number(static_cast<double>(flagged.size()));
  for (int index : flagged) {
    if (index < 0 || index >= static_cast<int>(source.slices.size())) {
      throw InputError(file.string(), "flagged slice " + std::to_string(index + 1) + " is outside the series");
    }
    const SliceScores* scores = r.slice(index);
    std::string sop = source.slices[static_cast<std::size_t>(index)].sop_instance_uid;
    if (scores && !scores->sop_instance_uid.empty() && scores->sop_instance_uid != sop) {
      throw InputError(file.string(), "slice " + std::to_string(index + 1) + ": the AI results name another SOP "
                                      "instance than the series (results of another series?)");
    }
    w.next(DSRTypes::RT_contains, DSRTypes::VT_Container, code("SLICE", "Flagged slice"));
    // The image number a reader looks for (core::dicom::imageNumber: the InstanceNumber where the series has them).
    w.child(DSRTypes::RT_contains, DSRTypes::VT_Num, code("IMAGENUMBER", "Image number (Im)"));
    w.number(core::dicom::imageNumber(source, index));
    if (scores) {
      for (std::size_t c = 0; c < r.classes.size() && c < scores->probabilities.size(); ++c) {
        w.next(DSRTypes::RT_contains, DSRTypes::VT_Num,
               code("P-CLASS" + std::to_string(c + 1), "Probability of " + displayClassName(r.classes[c])));
        w.number(scores->probabilities[c]);
      }
      for (std::size_t m = 0; m < r.manifestation_classes.size() && m < scores->manifestation.size(); ++m) {
        w.next(DSRTypes::RT_contains, DSRTypes::VT_Num,
               code("P-MANIF" + std::to_string(m + 1),
                    "Probability of " + displayClassName(r.manifestation_classes[m])));
        w.number(scores->manifestation[m]);
      }
    }
    w.next(DSRTypes::RT_contains, DSRTypes::VT_Image, code("SOURCEIMAGE", "Source image"));
    // The frame, where the slice is one frame of a multi-frame instance (enhanced CT; issue 14).
    w.image(sopClass, sop, detail::referencedFrameNumber(source, index));
    check(doc.getCurrentRequestedProcedureEvidence()
              .addItem(source.study_uid.c_str(), source.series_uid.c_str(), sopClass.c_str(), sop.c_str())
              .good(),
          file.string(), "cannot add evidence for " + sop);
    w.up();
  }
  w.up();
  if (lung) writeLungAnalysis(w, *lung);

  check(doc.completeDocument().good(), file.string(), "cannot complete the report");
  DcmFileFormat fileFormat;
  check(doc.write(*fileFormat.getDataset()).good(), file.string(), "the report does not form a valid SR document");
  DcmDataset& d = *fileFormat.getDataset();
  // Our own derived series, not the one DCMTK made up, so callers know where the report is.
  check(d.putAndInsertString(DCM_SeriesInstanceUID, series.series_uid.c_str()).good(), file.string(), "series UID");
  OFString sopUid;
  d.findAndGetOFString(DCM_SOPInstanceUID, sopUid);
  detail::saveAtomically(fileFormat, file, overwrite);
  return sopUid.c_str();
}

}  // namespace lunglens::core::exporting
