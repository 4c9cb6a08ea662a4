#include "tests/dicom/dicom_fixtures.h"

#include <gdcmAttribute.h>
#include <gdcmFileExplicitFilter.h>
#include <gdcmDicts.h>
#include <gdcmGlobal.h>
#include <gdcmImageChangeTransferSyntax.h>
#include <gdcmImageReader.h>
#include <gdcmImageWriter.h>
#include <gdcmJPEG2000Codec.h>
#include <gdcmJPEGCodec.h>
#include <gdcmJPEGLSCodec.h>
#include <gdcmReader.h>
#include <gdcmUIDGenerator.h>
#include <gdcmWriter.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "tests/common/test_paths.h"

namespace fs = std::filesystem;

namespace lunglens::test {

std::vector<fs::path> lungSeriesFolders() {
  std::vector<fs::path> folders;
  for (const auto& e : fs::recursive_directory_iterator(lungPetCtDx())) {
    if (e.is_regular_file() && e.path().extension() == ".dcm") folders.push_back(e.path().parent_path());
  }
  std::sort(folders.begin(), folders.end());
  folders.erase(std::unique(folders.begin(), folders.end()), folders.end());
  return folders;
}

fs::path lungB40fFolder() {
  for (const auto& f : lungSeriesFolders()) {
    if (f.filename().string().find("B40f") != std::string::npos) return f;
  }
  throw std::runtime_error("B40f series not found in " + lungPetCtDx().string());
}

double positionZ(const fs::path& file) {
  gdcm::Reader r;
  r.SetFileName(file.c_str());
  if (!r.ReadUpToTag(gdcm::Tag(0x0020, 0x0037))) throw std::runtime_error("cannot read " + file.string());
  gdcm::Attribute<0x0020, 0x0032> ipp;
  ipp.SetFromDataSet(r.GetFile().GetDataSet());
  return ipp[2];
}

std::vector<fs::path> filesByZ(const fs::path& folder) {
  std::vector<std::pair<double, fs::path>> files;
  for (const auto& e : fs::directory_iterator(folder)) {
    if (e.path().extension() == ".dcm") files.emplace_back(positionZ(e.path()), e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<fs::path> out;
  for (auto& f : files) out.push_back(f.second);
  return out;
}

std::vector<fs::path> copyAs(const std::vector<fs::path>& files, const fs::path& target) {
  fs::create_directories(target);
  std::vector<fs::path> out;
  for (std::size_t i = 0; i < files.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "slice-%03zu.dcm", i);
    out.push_back(target / name);
    fs::copy_file(files[i], out.back(), fs::copy_options::overwrite_existing);
    fs::permissions(out.back(), fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::add);
  }
  return out;
}

void editDicom(const fs::path& file, const std::function<void(gdcm::DataSet&)>& edit) {
  gdcm::Reader r;
  r.SetFileName(file.c_str());
  if (!r.Read()) throw std::runtime_error("cannot read " + file.string());
  edit(r.GetFile().GetDataSet());
  gdcm::Writer w;
  w.SetFileName(file.c_str());
  w.SetFile(r.GetFile());
  if (!w.Write()) throw std::runtime_error("cannot write " + file.string());
}

void setText(gdcm::DataSet& ds, std::uint16_t group, std::uint16_t element, const std::string& value) {
  const gdcm::Tag tag(group, element);
  gdcm::DataElement de(tag);
  de.SetVR(gdcm::Global::GetInstance().GetDicts().GetDictEntry(tag).GetVR());
  std::string padded = value;
  if (padded.size() % 2) padded += (de.GetVR() == gdcm::VR::UI ? '\0' : ' ');
  de.SetByteValue(padded.data(), static_cast<std::uint32_t>(padded.size()));
  ds.Replace(de);
}

std::string newUid() {
  gdcm::UIDGenerator gen;
  return gen.Generate();
}

void transcode(const fs::path& src, const fs::path& dst, const gdcm::TransferSyntax& ts, bool lossy) {
  gdcm::ImageReader r;
  r.SetFileName(src.c_str());
  if (!r.Read()) throw std::runtime_error("cannot read " + src.string());
  gdcm::ImageChangeTransferSyntax change;
  change.SetTransferSyntax(ts);
  change.SetInput(r.GetImage());
  gdcm::JPEGCodec jpeg;
  gdcm::JPEGLSCodec jpegls;
  gdcm::JPEG2000Codec j2k;
  if (lossy) {
    jpeg.SetLossless(false);
    jpeg.SetQuality(90);
    jpegls.SetLossless(false);
    jpegls.SetLossyError(2);
    j2k.SetReversible(false);
    j2k.SetRate(0, 10);
    if (ts.IsLossy() || ts == gdcm::TransferSyntax::JPEGExtendedProcess2_4) {
      if (ts == gdcm::TransferSyntax::JPEGLSNearLossless) change.SetUserCodec(&jpegls);
      else if (ts == gdcm::TransferSyntax::JPEG2000) change.SetUserCodec(&j2k);
      else change.SetUserCodec(&jpeg);
    }
  }
  if (!change.Change()) throw std::runtime_error("cannot transcode " + src.string());
  gdcm::ImageWriter w;
  w.SetFileName(dst.c_str());
  w.SetFile(r.GetFile());
  w.SetImage(change.GetOutput());
  if (!w.Write()) throw std::runtime_error("cannot write " + dst.string());
}

void deflate(const fs::path& src, const fs::path& dst) {
  gdcm::Reader r;
  r.SetFileName(src.c_str());
  if (!r.Read()) throw std::runtime_error("cannot read " + src.string());
  gdcm::FileExplicitFilter fef;  // deflate wraps an explicit-VR data set
  fef.SetFile(r.GetFile());
  if (!fef.Change()) throw std::runtime_error("cannot make explicit " + src.string());
  gdcm::FileMetaInformation& meta = r.GetFile().GetHeader();
  meta.Remove(gdcm::Tag(0x0002, 0x0010));
  meta.SetDataSetTransferSyntax(gdcm::TransferSyntax::DeflatedExplicitVRLittleEndian);
  gdcm::Writer w;
  w.SetFileName(dst.c_str());
  w.SetFile(r.GetFile());
  if (!w.Write()) throw std::runtime_error("cannot write " + dst.string());
}

std::vector<double> referenceHu(const fs::path& file) {
  gdcm::ImageReader r;
  r.SetFileName(file.c_str());
  if (!r.Read()) throw std::runtime_error("cannot read " + file.string());
  const gdcm::Image& img = r.GetImage();
  std::vector<char> raw(img.GetBufferLength());
  img.GetBuffer(raw.data());
  const auto pf = img.GetPixelFormat();
  std::vector<double> out;
  const std::size_t n = raw.size() / pf.GetPixelSize();
  for (std::size_t i = 0; i < n; ++i) {
    double v = 0;
    if (pf.GetScalarType() == gdcm::PixelFormat::INT16) {
      v = reinterpret_cast<const std::int16_t*>(raw.data())[i];
    } else if (pf.GetScalarType() == gdcm::PixelFormat::UINT16) {
      v = reinterpret_cast<const std::uint16_t*>(raw.data())[i];
    } else {
      throw std::runtime_error("referenceHu: unexpected pixel format in " + file.string());
    }
    out.push_back(v * img.GetSlope() + img.GetIntercept());
  }
  return out;
}

}  // namespace lunglens::test
