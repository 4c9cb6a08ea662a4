// C-GET: the node sends each object back as a C-STORE on our association; each is written into a staging folder.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <memory>

#include "core/common/error.h"
#include "core/pacs/dimse.h"
#include "core/pacs/dimse_scu.h"
#include "core/pacs/staging.h"

namespace lunglens::core::pacs {
namespace {

// The storage classes LungLens accepts back: what a chest CT study holds (images, SC, SR, presentation states).
const char* const kStorageClasses[] = {
    UID_CTImageStorage,
    UID_EnhancedCTImageStorage,
    UID_LegacyConvertedEnhancedCTImageStorage,
    UID_PositronEmissionTomographyImageStorage,
    UID_MRImageStorage,
    UID_EnhancedMRImageStorage,
    UID_SecondaryCaptureImageStorage,
    UID_MultiframeGrayscaleByteSecondaryCaptureImageStorage,
    UID_MultiframeGrayscaleWordSecondaryCaptureImageStorage,
    UID_MultiframeTrueColorSecondaryCaptureImageStorage,
    UID_BasicTextSRStorage,
    UID_EnhancedSRStorage,
    UID_ComprehensiveSRStorage,
    UID_KeyObjectSelectionDocumentStorage,
    UID_GrayscaleSoftcopyPresentationStateStorage,
    UID_SegmentationStorage,
};

class GetScu : public detail::Scu {
 public:
  GetScu(const Node& node, StagingFolder& staging, const TransferOptions& options, int total)
      : Scu(node), staging_(staging), options_(options), total_(total) {}

  std::string write_error;
  bool cancelled = false;

 protected:
  OFCondition handleSTORERequest(const T_ASC_PresentationContextID, DcmDataset* incoming, OFBool& continueSession,
                                 Uint16& status) override {
    std::unique_ptr<DcmDataset> owned(incoming);
    if (options_.cancel.cancelled()) {
      cancelled = true;
      continueSession = OFFalse;
      status = STATUS_STORE_Refused_OutOfResources;
      return EC_Normal;
    }
    const E_TransferSyntax xfer = owned->getOriginalXfer();
    DcmFileFormat file(owned.release(), OFFalse);
    const auto path = staging_.nextFile();
    const OFCondition cond = file.saveFile(path.c_str(), xfer == EXS_Unknown ? EXS_LittleEndianExplicit : xfer);
    if (cond.bad()) {
      write_error = path.string() + ": " + cond.text();
      continueSession = OFFalse;
      status = STATUS_STORE_Refused_OutOfResources;
      return EC_Normal;
    }
    continueSession = OFTrue;
    status = STATUS_Success;
    if (options_.arrived) options_.arrived(path);
    if (options_.progress) options_.progress(staging_.files(), total_);
    return EC_Normal;
  }

 private:
  StagingFolder& staging_;
  const TransferOptions& options_;
  int total_;
};

}  // namespace

int retrieve(const Node& node, const std::string& study_uid, const std::string& series_uid,
             const std::filesystem::path& destination, const TransferOptions& options) {
  if (study_uid.empty()) throw InputError(node.label(), "C-GET needs a study UID");
  // How many to expect, for progress (a C-FIND first; C-GET's pending responses are optional).
  const int total =
      expectedInstances(find(node, expectedCountQuery(study_uid, series_uid)), node.label(), study_uid, series_uid);
  options.cancel.throwIfCancelled();

  StagingFolder staging(destination);
  GetScu scu(node, staging, options, total);
  std::vector<detail::Context> contexts;
  const std::string model = UID_GETStudyRootQueryRetrieveInformationModel;
  contexts.push_back({model, detail::uncompressedSyntaxes()});
  std::vector<std::string> storageSyntaxes = detail::uncompressedSyntaxes();
  storageSyntaxes.insert(storageSyntaxes.end(), {UID_JPEGProcess14SV1TransferSyntax, UID_JPEGLSLosslessTransferSyntax,
                                                 UID_JPEG2000LosslessOnlyTransferSyntax, UID_RLELosslessTransferSyntax});
  for (const char* sop : kStorageClasses) contexts.push_back({sop, storageSyntaxes, ASC_SC_ROLE_SCP});
  scu.open(contexts);

  DcmDataset keys;
  keys.putAndInsertString(DCM_QueryRetrieveLevel, series_uid.empty() ? "STUDY" : "SERIES");
  keys.putAndInsertString(DCM_StudyInstanceUID, study_uid.c_str());
  if (!series_uid.empty()) keys.putAndInsertString(DCM_SeriesInstanceUID, series_uid.c_str());
  OFList<RetrieveResponse*> responses;
  const OFCondition cond = scu.sendCGETRequest(scu.contextFor(model, "C-GET (study root)"), &keys, &responses);
  int failed = 0;
  Uint16 finalStatus = STATUS_Success;
  for (RetrieveResponse* r : responses) {
    failed = std::max<int>(failed, r->m_numberOfFailedSubops);
    finalStatus = r->m_status;
    delete r;
  }
  const int received = staging.files();
  const std::string got = " (" + std::to_string(received) + " of " +
                          (total >= 0 ? std::to_string(total) : std::string("?")) + " files had arrived; none kept)";
  if (scu.cancelled || options.cancel.cancelled()) {
    scu.abortAssociation();
    throw Cancelled();
  }
  if (!scu.write_error.empty()) {
    scu.abortAssociation();
    throw InputError(destination.string(), "cannot write a retrieved file: " + scu.write_error);
  }
  if (cond.bad()) throw InputError(node.label(), scu.failure(cond, "C-GET") + got);
  if (finalStatus != STATUS_Success || failed > 0) {
    throw InputError(node.label(), "C-GET ended with status 0x" + [&] {
      char hex[8];
      std::snprintf(hex, sizeof hex, "%04x", finalStatus);
      return std::string(hex);
    }() + " and " + std::to_string(failed) + " failed sub-operations" + got);
  }
  if (received == 0) throw InputError(node.label(), "C-GET returned no files");
  if (total >= 0 && received < total) {
    throw InputError(node.label(), "C-GET ended early" + got);
  }
  scu.releaseAssociation();
  options.cancel.throwIfCancelled();  // a cancel that came with the last image still keeps nothing
  staging.commit();
  return received;
}

}  // namespace lunglens::core::pacs
