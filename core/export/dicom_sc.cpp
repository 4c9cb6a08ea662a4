// Secondary Capture Image Storage of an annotated image, in the source study as a new series.
#include <cmath>

#include <dcmtk/dcmdata/dctk.h>

#include "core/common/error.h"
#include "core/dicom/display_orientation.h"
#include "core/export/dicom_derived.h"
#include "core/export/dicom_write_common.h"

namespace lunglens::core::exporting {
namespace {

using detail::check;

// The patient direction letter of a row or column vector: dominant axis only (an oblique image is labelled by its
// nearest axis, as PatientOrientation allows).
std::string letter(double x, double y, double z) {
  const double ax = std::abs(x), ay = std::abs(y), az = std::abs(z);
  if (ax >= ay && ax >= az) return x > 0 ? "L" : "R";
  if (ay >= az) return y > 0 ? "P" : "A";
  return z > 0 ? "H" : "F";
}

// PatientOrientation of the image as displayed (after the radiological flips the composer applies).
std::string patientOrientation(const dicom::SeriesInfo& source) {
  const auto& o = source.orientation;
  const auto flip = dicom::radiologicalFlip(o);
  const double sr = flip.horizontal ? -1.0 : 1.0, sc = flip.vertical ? -1.0 : 1.0;
  return letter(sr * o[0], sr * o[1], sr * o[2]) + "\\" + letter(sc * o[3], sc * o[4], sc * o[5]);
}

void put(DcmItem& item, const DcmTagKey& tag, const std::string& value) {
  check(item.putAndInsertString(tag, value.c_str()).good(), "Secondary Capture",
        "cannot set " + std::string(tag.toString().c_str()));
}

void putUint16(DcmItem& item, const DcmTagKey& tag, Uint16 value) {
  check(item.putAndInsertUint16(tag, value).good(), "Secondary Capture", "cannot set " + std::string(tag.toString().c_str()));
}

}  // namespace

std::string writeSecondaryCapture(const SecondaryCaptureInput& in, const dicom::SeriesInfo& source,
                                  const DerivedSeries& series, const std::filesystem::path& file, bool overwrite) {
  const auto& img = in.image;
  if (img.width <= 0 || img.height <= 0 || img.width > 65535 || img.height > 65535 ||
      img.rgb.size() != static_cast<std::size_t>(img.width) * img.height * 3) {
    throw InputError(file.string(), "the image to capture is empty or its size does not match its pixels");
  }
  if (source.study_uid.empty()) throw InputError(file.string(), "the source series has no StudyInstanceUID");
  for (int s : in.source_slices) {
    if (s < 0 || s >= static_cast<int>(source.slices.size())) {
      throw InputError(file.string(), "source slice " + std::to_string(s + 1) + " is outside the series");
    }
  }

  DcmFileFormat fileFormat;
  DcmDataset& d = *fileFormat.getDataset();
  const std::string sopUid = newDicomUid();
  const std::string date = detail::todayDa(), time = detail::nowTm();

  put(d, DCM_SpecificCharacterSet, "ISO_IR 192");
  put(d, DCM_SOPClassUID, UID_SecondaryCaptureImageStorage);
  put(d, DCM_SOPInstanceUID, sopUid);
  put(d, DCM_InstanceCreationDate, date);
  put(d, DCM_InstanceCreationTime, time);
  detail::putPatientAndStudy(d, source);

  // General Series (a new series in the source study) and equipment.
  put(d, DCM_Modality, "OT");
  put(d, DCM_SeriesInstanceUID, series.series_uid);
  put(d, DCM_SeriesNumber, std::to_string(series.series_number));
  put(d, DCM_SeriesDescription, series.description);
  put(d, DCM_Laterality, "");  // type 2C; the chest is not a paired structure, so empty
  put(d, DCM_Manufacturer, "LungLens");
  put(d, DCM_ConversionType, "WSD");
  put(d, DCM_SecondaryCaptureDeviceManufacturer, "LungLens");
  put(d, DCM_SecondaryCaptureDeviceManufacturerModelName, "LungLens");
  put(d, DCM_SecondaryCaptureDeviceSoftwareVersions, "0.1.0");
  put(d, DCM_DateOfSecondaryCapture, date);
  put(d, DCM_TimeOfSecondaryCapture, time);

  // General Image, referencing the slices shown.
  put(d, DCM_InstanceNumber, std::to_string(in.instance_number));
  put(d, DCM_PatientOrientation, patientOrientation(source));
  put(d, DCM_ContentDate, date);
  put(d, DCM_ContentTime, time);
  put(d, DCM_ImageType, "DERIVED\\SECONDARY");
  if (!in.derivation.empty()) put(d, DCM_DerivationDescription, in.derivation.substr(0, 1024));
  put(d, DCM_BurnedInAnnotation, in.phi_burned_in ? "YES" : "NO");
  if (!in.source_slices.empty()) {
    const std::string sourceClass = detail::sourceSopClassUid(source);
    for (int s : in.source_slices) {
      DcmItem* item = nullptr;
      check(d.findOrCreateSequenceItem(DCM_SourceImageSequence, item, -2).good() && item, "Secondary Capture",
            "cannot add a source image reference");
      put(*item, DCM_ReferencedSOPClassUID, sourceClass);
      put(*item, DCM_ReferencedSOPInstanceUID, source.slices[static_cast<std::size_t>(s)].sop_instance_uid);
      // A frame of a multi-frame source (enhanced CT): name the frame, so a viewer opens it (issue 14).
      if (const int frame = detail::referencedFrameNumber(source, s)) {
        put(*item, DCM_ReferencedFrameNumber, std::to_string(frame));
      }
    }
  }

  // Image Pixel: 8-bit RGB, interleaved.
  putUint16(d, DCM_SamplesPerPixel, 3);
  put(d, DCM_PhotometricInterpretation, "RGB");
  putUint16(d, DCM_PlanarConfiguration, 0);
  putUint16(d, DCM_Rows, static_cast<Uint16>(img.height));
  putUint16(d, DCM_Columns, static_cast<Uint16>(img.width));
  putUint16(d, DCM_BitsAllocated, 8);
  putUint16(d, DCM_BitsStored, 8);
  putUint16(d, DCM_HighBit, 7);
  putUint16(d, DCM_PixelRepresentation, 0);
  check(d.putAndInsertUint8Array(DCM_PixelData, img.rgb.data(), static_cast<unsigned long>(img.rgb.size())).good(),
        "Secondary Capture", "cannot store the pixel data");

  detail::saveAtomically(fileFormat, file, overwrite);
  return sopUid;
}

}  // namespace lunglens::core::exporting
