// C-STORE: one association for all files, one presentation context per SOP class and transfer syntax found.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmnet/diutil.h>

#include <set>
#include <utility>

#include "core/common/error.h"
#include "core/pacs/dimse.h"
#include "core/pacs/dimse_scu.h"

namespace lunglens::core::pacs {

int store(const Node& node, const std::vector<std::filesystem::path>& files, const TransferOptions& options) {
  if (files.empty()) throw InputError(node.label(), "no files to send");
  // Read each file's SOP class and transfer syntax (header only) before connecting.
  std::set<std::pair<std::string, std::string>> pairs;
  for (const auto& f : files) {
    DcmFileFormat ff;
    if (ff.loadFile(f.c_str(), EXS_Unknown, EGL_noChange, 4096, ERM_metaOnly).bad()) {
      throw InputError(f.string(), "not a DICOM file");
    }
    OFString sop, ts;
    ff.getMetaInfo()->findAndGetOFString(DCM_MediaStorageSOPClassUID, sop);
    ff.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, ts);
    if (sop.empty() || ts.empty()) throw InputError(f.string(), "no SOP class or transfer syntax in its meta header");
    pairs.insert({sop.c_str(), ts.c_str()});
  }
  std::vector<detail::Context> contexts;
  for (const auto& [sop, ts] : pairs) {
    std::vector<std::string> syntaxes{ts};
    // Uncompressed data can go in any uncompressed syntax the node prefers (DCMTK converts).
    if (DcmXfer(ts.c_str()).isNotEncapsulated()) {
      for (const auto& u : detail::uncompressedSyntaxes()) {
        if (u != ts) syntaxes.push_back(u);
      }
    }
    contexts.push_back({sop, syntaxes});
  }
  detail::Scu scu(node);
  scu.setDatasetConversionMode(OFTrue);
  scu.open(contexts);
  int done = 0;
  for (const auto& f : files) {
    if (options.cancel.cancelled()) {
      scu.abortAssociation();
      throw Cancelled();
    }
    DcmFileFormat ff;
    ff.loadFile(f.c_str(), EXS_Unknown, EGL_noChange, 4096, ERM_metaOnly);
    OFString sop, ts;
    ff.getMetaInfo()->findAndGetOFString(DCM_MediaStorageSOPClassUID, sop);
    ff.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, ts);
    T_ASC_PresentationContextID id = scu.findPresentationContextID(sop, ts);
    if (id == 0) id = scu.findAnyPresentationContextID(sop, ts);
    if (id == 0) {
      throw InputError(f.string(), "the node does not accept this kind of object (SOP class " + std::string(sop.c_str()) +
                                       " in transfer syntax " + ts.c_str() + ")");
    }
    Uint16 status = 0;
    const OFCondition cond = scu.sendSTORERequest(id, f.c_str(), nullptr, status);
    if (cond.bad()) {
      throw InputError(node.label(), scu.failure(cond, "C-STORE of " + f.filename().string()) + " (" +
                                         std::to_string(done) + " of " + std::to_string(files.size()) + " sent)");
    }
    if (status != STATUS_Success && (status & 0xf000) != 0xb000) {  // Bxxx: warnings (stored with coercion)
      throw InputError(f.string(), "the node refused it: " + std::string(DU_cstoreStatusString(status)));
    }
    ++done;
    if (options.progress) options.progress(done, static_cast<int>(files.size()));
  }
  scu.releaseAssociation();
  return done;
}

}  // namespace lunglens::core::pacs
