#include "bench/dicom/synthetic_series.h"

#include <gdcmAttribute.h>
#include <gdcmDicts.h>
#include <gdcmGlobal.h>
#include <gdcmReader.h>
#include <gdcmUIDGenerator.h>
#include <gdcmWriter.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <vector>

namespace fs = std::filesystem;

namespace lunglens::bench {
namespace {

void setText(gdcm::DataSet& ds, std::uint16_t group, std::uint16_t element, std::string value) {
  const gdcm::Tag tag(group, element);
  gdcm::DataElement de(tag);
  de.SetVR(gdcm::Global::GetInstance().GetDicts().GetDictEntry(tag).GetVR());
  if (value.size() % 2) value += de.GetVR() == gdcm::VR::UI ? '\0' : ' ';
  de.SetByteValue(value.data(), static_cast<std::uint32_t>(value.size()));
  ds.Replace(de);
}

}  // namespace

std::size_t writeLongSeries(const fs::path& source, const fs::path& target, int slices) {
  std::vector<std::pair<double, fs::path>> files;
  for (const auto& e : fs::directory_iterator(source)) {
    if (e.path().extension() != ".dcm") continue;
    gdcm::Reader r;
    r.SetFileName(e.path().c_str());
    r.ReadUpToTag(gdcm::Tag(0x0020, 0x0037));
    gdcm::Attribute<0x0020, 0x0032> ipp;
    ipp.SetFromDataSet(r.GetFile().GetDataSet());
    files.emplace_back(ipp[2], e.path());
  }
  std::sort(files.begin(), files.end());
  if (files.size() < 2) throw std::runtime_error("need a series in " + source.string());
  const double step = files[1].first - files[0].first;
  fs::create_directories(target);
  gdcm::UIDGenerator uids;
  const std::string series = uids.Generate();
  std::vector<int> names(static_cast<std::size_t>(slices));
  for (int i = 0; i < slices; ++i) names[static_cast<std::size_t>(i)] = i;
  std::shuffle(names.begin(), names.end(), std::mt19937(42));
  std::size_t bytes = 0;
  for (int k = 0; k < slices; ++k) {
    gdcm::Reader r;
    r.SetFileName(files[static_cast<std::size_t>(k) % files.size()].second.c_str());
    if (!r.Read()) throw std::runtime_error("cannot read a source slice");
    gdcm::DataSet& ds = r.GetFile().GetDataSet();
    gdcm::Attribute<0x0020, 0x0032> ipp;
    ipp.SetFromDataSet(ds);
    char position[96];
    std::snprintf(position, sizeof position, "%.4f\\%.4f\\%.4f", ipp[0], ipp[1], files[0].first + k * step);
    setText(ds, 0x0020, 0x0032, position);
    setText(ds, 0x0020, 0x000e, series);
    const std::string sop = uids.Generate();
    setText(ds, 0x0008, 0x0018, sop);
    r.GetFile().GetHeader().Remove(gdcm::Tag(0x0002, 0x0003));  // regenerated from the data set by the writer
    setText(ds, 0x0020, 0x0013, std::to_string(k + 1));
    char name[32];
    std::snprintf(name, sizeof name, "IM%05d", names[static_cast<std::size_t>(k)]);
    gdcm::Writer w;
    w.SetFileName((target / name).c_str());
    w.SetFile(r.GetFile());
    if (!w.Write()) throw std::runtime_error("cannot write into " + target.string());
    gdcm::Attribute<0x0028, 0x0010> rows;
    gdcm::Attribute<0x0028, 0x0011> cols;
    rows.SetFromDataSet(ds);
    cols.SetFromDataSet(ds);
    bytes += std::size_t(rows.GetValue()) * cols.GetValue() * 2;
  }
  return bytes;
}

}  // namespace lunglens::bench
