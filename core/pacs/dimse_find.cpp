// C-ECHO and C-FIND.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/diutil.h>

#include "core/common/error.h"
#include "core/pacs/dimse.h"
#include "core/pacs/dimse_scu.h"

namespace lunglens::core::pacs {
namespace {

using detail::Scu;

std::string text(DcmDataset& ds, const DcmTagKey& tag) {
  OFString v;
  if (ds.findAndGetOFStringArray(tag, v).bad()) return "";
  return v.c_str();
}

int number(DcmDataset& ds, const DcmTagKey& tag, int fallback) {
  const std::string v = text(ds, tag);
  if (v.empty()) return fallback;
  try {
    return std::stoi(v);
  } catch (const std::exception&) {
    return fallback;
  }
}

void put(DcmDataset& ds, const DcmTagKey& tag, const std::string& value) { ds.putAndInsertString(tag, value.c_str()); }

DcmDataset queryKeys(const Query& q) {
  DcmDataset ds;
  const bool series = q.level == Level::Series;
  put(ds, DCM_QueryRetrieveLevel, series ? "SERIES" : "STUDY");
  put(ds, DCM_SpecificCharacterSet, "");
  put(ds, DCM_PatientName, q.patient_name.empty() ? "" : containsPattern(q.patient_name));
  put(ds, DCM_PatientID, q.patient_id);
  put(ds, DCM_PatientBirthDate, "");
  put(ds, DCM_StudyInstanceUID, q.study_uid);
  put(ds, DCM_StudyDate, dateRange(q));
  put(ds, DCM_StudyTime, "");
  put(ds, DCM_AccessionNumber, q.accession_number);
  put(ds, DCM_StudyDescription, series || q.description.empty() ? "" : containsPattern(q.description));
  if (series) {
    put(ds, DCM_SeriesInstanceUID, "");
    put(ds, DCM_SeriesNumber, "");
    put(ds, DCM_SeriesDescription, q.description.empty() ? "" : containsPattern(q.description));
    put(ds, DCM_Modality, q.modality);
    put(ds, DCM_NumberOfSeriesRelatedInstances, "");
  } else {
    put(ds, DCM_ModalitiesInStudy, q.modality);
    put(ds, DCM_NumberOfStudyRelatedInstances, "");
  }
  return ds;
}

Match toMatch(DcmDataset& ds, Level level) {
  Match m;
  m.level = level;
  m.patient_name = text(ds, DCM_PatientName);
  m.patient_id = text(ds, DCM_PatientID);
  m.patient_birth_date = text(ds, DCM_PatientBirthDate);
  m.study_uid = text(ds, DCM_StudyInstanceUID);
  m.study_date = text(ds, DCM_StudyDate);
  m.study_time = text(ds, DCM_StudyTime);
  m.study_description = text(ds, DCM_StudyDescription);
  m.accession_number = text(ds, DCM_AccessionNumber);
  if (level == Level::Series) {
    m.series_uid = text(ds, DCM_SeriesInstanceUID);
    m.series_description = text(ds, DCM_SeriesDescription);
    m.series_number = number(ds, DCM_SeriesNumber, 0);
    m.modality = text(ds, DCM_Modality);
    m.modalities = m.modality;
    m.instances = number(ds, DCM_NumberOfSeriesRelatedInstances, -1);
  } else {
    m.modalities = text(ds, DCM_ModalitiesInStudy);
    m.instances = number(ds, DCM_NumberOfStudyRelatedInstances, -1);
  }
  return m;
}

}  // namespace

void echo(const Node& node) {
  Scu scu(node);
  scu.open({{UID_VerificationSOPClass, detail::uncompressedSyntaxes()}});
  const OFCondition cond = scu.sendECHORequest(scu.contextFor(UID_VerificationSOPClass, "C-ECHO (verification)"));
  if (cond.bad()) throw InputError(node.label(), scu.failure(cond, "C-ECHO"));
  scu.releaseAssociation();
}

std::vector<Match> find(const Node& node, const Query& query) {
  DcmDataset keys = queryKeys(query);  // checks the dates before anything touches the network
  Scu scu(node);
  const std::string model = UID_FINDStudyRootQueryRetrieveInformationModel;
  scu.open({{model, detail::uncompressedSyntaxes()}});
  OFList<QRResponse*> responses;
  const OFCondition cond = scu.sendFINDRequest(scu.contextFor(model, "C-FIND (study root)"), &keys, &responses);
  std::vector<Match> matches;
  std::string failure;
  for (QRResponse* r : responses) {
    if (r->m_dataset && (r->m_status == STATUS_Pending || r->m_status == STATUS_FIND_Pending_WarningUnsupportedOptionalKeys)) {
      matches.push_back(toMatch(*r->m_dataset, query.level));
    } else if (r->m_status != STATUS_Success && r->m_status != STATUS_Pending &&
               r->m_status != STATUS_FIND_Pending_WarningUnsupportedOptionalKeys) {
      failure = "the node answered C-FIND with status " + std::string(DU_cfindStatusString(r->m_status));
    }
    delete r;
  }
  if (cond.bad()) throw InputError(node.label(), scu.failure(cond, "C-FIND"));
  if (!failure.empty()) throw InputError(node.label(), failure);
  scu.releaseAssociation();
  return matches;
}

}  // namespace lunglens::core::pacs
