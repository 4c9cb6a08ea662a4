#include "core/export/dicom_write_common.h"

#include <ctime>
#include <system_error>
#include <unistd.h>

#include <dcmtk/dcmdata/dctk.h>

#include "core/common/error.h"
#include "core/export/dicom_derived.h"

namespace fs = std::filesystem;

namespace lunglens::core::exporting::detail {
namespace {

std::string strftimeNow(const char* format) {
  const std::time_t t = std::time(nullptr);
  std::tm local{};
  localtime_r(&t, &local);
  char buf[32];
  std::strftime(buf, sizeof buf, format, &local);
  return buf;
}

void put(DcmDataset& d, const DcmTagKey& tag, const std::string& value) {
  check(d.putAndInsertString(tag, value.c_str()).good(), "DICOM header", "cannot set " + std::string(tag.toString().c_str()));
}

}  // namespace

void check(bool ok, const std::string& context, const std::string& what) {
  if (!ok) throw InputError(context, what);
}

std::string todayDa() { return strftimeNow("%Y%m%d"); }
std::string nowTm() { return strftimeNow("%H%M%S"); }

void putPatientAndStudy(DcmDataset& d, const dicom::SeriesInfo& s) {
  put(d, DCM_PatientName, s.patient_name);
  put(d, DCM_PatientID, s.patient_id);
  put(d, DCM_PatientBirthDate, s.patient_birth_date);
  put(d, DCM_PatientSex, s.patient_sex);
  put(d, DCM_StudyInstanceUID, s.study_uid);
  put(d, DCM_StudyDate, s.study_date);
  put(d, DCM_StudyTime, s.study_time);
  put(d, DCM_ReferringPhysicianName, "");
  put(d, DCM_StudyID, "");
  put(d, DCM_AccessionNumber, s.accession_number);
  if (!s.study_description.empty()) put(d, DCM_StudyDescription, s.study_description);
}

std::string sourceSopClassUid(const dicom::SeriesInfo& source) {
  if (!source.slices.empty()) {
    DcmFileFormat file;
    // Values longer than 256 bytes (the pixel data) stay on disk.
    if (file.loadFile(source.slices.front().path.c_str(), EXS_Unknown, EGL_noChange, 256).good()) {
      OFString uid;
      if (file.getDataset()->findAndGetOFString(DCM_SOPClassUID, uid).good() && !uid.empty()) return uid.c_str();
      if (file.getMetaInfo()->findAndGetOFString(DCM_MediaStorageSOPClassUID, uid).good() && !uid.empty()) {
        return uid.c_str();
      }
    }
  }
  return UID_CTImageStorage;
}

int referencedFrameNumber(const dicom::SeriesInfo& source, int index) {
  const dicom::SliceRef& slice = source.slices.at(static_cast<std::size_t>(index));
  bool multiFrame = slice.frame > 0;
  for (std::size_t k = 0; !multiFrame && k < source.slices.size(); ++k) {
    multiFrame = static_cast<int>(k) != index && !slice.sop_instance_uid.empty() &&
                 source.slices[k].sop_instance_uid == slice.sop_instance_uid;
  }
  return multiFrame ? slice.frame + 1 : 0;
}

void saveAtomically(DcmFileFormat& fileFormat, const fs::path& file, bool overwrite) {
  if (!overwrite && fs::exists(file)) throw InputError(file.string(), "file exists; not overwriting it");
  const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
  const fs::path tmp = dir / (".tmp-" + std::to_string(::getpid()) + "-" + file.filename().string());
  const OFCondition status = fileFormat.saveFile(tmp.c_str(), EXS_LittleEndianExplicit, EET_ExplicitLength,
                                                 EGL_recalcGL, EPD_withoutPadding, 0, 0, EWM_createNewMeta);
  std::error_code ignored;
  if (status.bad()) {
    fs::remove(tmp, ignored);
    throw InputError(file.string(), std::string("cannot write the DICOM file (permission, missing folder or disk "
                                                "full): ") + status.text());
  }
  std::error_code ec;
  fs::rename(tmp, file, ec);
  if (ec) {
    fs::remove(tmp, ignored);
    throw InputError(file.string(), "cannot move the finished file into place: " + ec.message());
  }
}

}  // namespace lunglens::core::exporting::detail

namespace lunglens::core::exporting {

std::string newDicomUid() {
  char uid[100];
  dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT);
  return uid;
}

DerivedSeries newDerivedSeries(const dicom::SeriesInfo& source, const std::string& description) {
  return {newDicomUid(), source.series_number + 9000, description};
}

}  // namespace lunglens::core::exporting
