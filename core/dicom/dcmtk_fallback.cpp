#include "core/dicom/dcmtk_fallback.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmjpls/djlsutil.h>
#include <dcmtk/oflog/oflog.h>
#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <mutex>

namespace lunglens::core::dicom {
namespace {

// DJLSDecoderRegistration::registerCodecs(JLS_UIDCreation, JLS_PlanarConfiguration, bool, bool), looked up by
// its mangled name in the deep-bound library.
using RegisterJpegLs = void (*)(JLS_UIDCreation, JLS_PlanarConfiguration, bool, bool);

std::string registerCodecs() {
  static std::once_flag once;
  static std::string problem;
  std::call_once(once, [] {
    // Files that need this path are odd by definition: their oddities are reported by us, once, not by DCMTK's
    // log on stderr.
    OFLog::configure(OFLogger::ERROR_LOG_LEVEL);
    DcmRLEDecoderRegistration::registerCodecs();
    void* library = nullptr;
    for (const char* name : {"libdcmjpls.so.17", "libdcmjpls.so"}) {
      library = dlopen(name, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
      if (library) break;
    }
    if (!library) {
      problem = "DCMTK's JPEG-LS codec (libdcmjpls) is not installed";
      return;
    }
    const auto reg = reinterpret_cast<RegisterJpegLs>(
        dlsym(library, "_ZN23DJLSDecoderRegistration14registerCodecsE15JLS_UIDCreation23JLS_PlanarConfigurationbb"));
    if (!reg) {
      problem = "DCMTK's JPEG-LS codec has no decoder registration";
      return;
    }
    reg(EJLSUC_default, EJLSPC_restore, false, false);
  });
  return problem;
}

double number(DcmItem& ds, const DcmTagKey& key, double fallback) {
  Float64 v = 0;
  return ds.findAndGetFloat64(key, v).good() && std::isfinite(v) ? v : fallback;
}

}  // namespace

bool decodeWithDcmtk(const std::string& path, int frame, int rows, int cols, std::int16_t* hu, std::string& why) {
  try {
    const std::string problem = registerCodecs();
    DcmFileFormat file;
    OFCondition c = file.loadFile(path.c_str());
    if (c.bad()) {
      why = c.text();
      return false;
    }
    DcmDataset& ds = *file.getDataset();
    c = ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr);
    if (c.bad() || !ds.canWriteXfer(EXS_LittleEndianExplicit)) {
      why = c.bad() ? c.text() : "no decoder for this transfer syntax";
      if (!problem.empty()) why += " (" + problem + ")";
      return false;
    }
    Uint16 allocated = 0, stored = 0, representation = 0, samples = 1;
    ds.findAndGetUint16(DCM_BitsAllocated, allocated);
    ds.findAndGetUint16(DCM_BitsStored, stored);
    ds.findAndGetUint16(DCM_PixelRepresentation, representation);
    ds.findAndGetUint16(DCM_SamplesPerPixel, samples);
    if (samples != 1 || (allocated != 8 && allocated != 16)) {
      why = "DCMTK: not an 8- or 16-bit greyscale image";
      return false;
    }
    const std::size_t pixels = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
    const std::size_t first = pixels * static_cast<std::size_t>(frame);
    const double slope = number(ds, DCM_RescaleSlope, 1.0), intercept = number(ds, DCM_RescaleIntercept, 0.0);
    const int bits = std::clamp<int>(stored == 0 ? allocated : stored, 1, allocated);
    const auto toHu = [&](std::uint32_t raw) {
      const std::uint32_t mask = bits >= 32 ? 0xffffffffu : ((1u << bits) - 1u);
      std::int64_t v = raw & mask;
      if (representation == 1 && (v >> (bits - 1)) & 1) v -= std::int64_t(1) << bits;
      return static_cast<std::int16_t>(std::clamp<long>(std::lround(static_cast<double>(v) * slope + intercept),
                                                        -32768L, 32767L));
    };
    unsigned long count = 0;
    if (allocated == 16) {
      const Uint16* data = nullptr;
      c = ds.findAndGetUint16Array(DCM_PixelData, data, &count);
      if (c.bad() || !data || count < first + pixels) {
        why = "DCMTK: the decoder returned fewer pixels than the frame needs";
        return false;
      }
      for (std::size_t i = 0; i < pixels; ++i) hu[i] = toHu(data[first + i]);
    } else {
      const Uint8* data = nullptr;
      c = ds.findAndGetUint8Array(DCM_PixelData, data, &count);
      if (c.bad() || !data || count < first + pixels) {
        why = "DCMTK: the decoder returned fewer pixels than the frame needs";
        return false;
      }
      for (std::size_t i = 0; i < pixels; ++i) hu[i] = toHu(data[first + i]);
    }
    return true;
  } catch (const std::exception& e) {
    why = std::string("DCMTK: ") + e.what();
    return false;
  }
}

}  // namespace lunglens::core::dicom
