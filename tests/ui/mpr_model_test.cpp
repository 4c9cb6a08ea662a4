// The MPR presenter without a display: with the crosshair on a phantom's known finding, the coronal and sagittal
// views show it under the crosshair at the pixel the spacing gives; a click in one view moves the other views'
// planes (and only theirs); linking applies window and zoom to all views; comparison scrolls two series together.
#include <QSignalSpy>
#include <cmath>
#include <set>
#include <gtest/gtest.h>

#include "tests/ui/qt_app.h"
#include "tests/volume/finding_phantom.h"
#include "ui/mpr/comparison_model.h"
#include "ui/mpr/mpr_model.h"

using namespace lunglens;
using ui::mpr::MprModel;
namespace cv = core::volume;

namespace {

const cv::Vec3 kRow{1, 0, 0}, kCol{0, 1, 0}, kOrigin{-25.0, -17.0, -110.0};

std::array<int, 3> findingVoxel() {
  // kOrigin + (x*0.8, y*0.7, z*2.5) = kFinding
  return {static_cast<int>(std::lround((test::kFinding[0] - kOrigin[0]) / 0.8)),
          static_cast<int>(std::lround((test::kFinding[1] - kOrigin[1]) / 0.7)),
          static_cast<int>(std::lround((test::kFinding[2] - kOrigin[2]) / 2.5))};
}

// HU of the displayed pixel under a view point.
int huAt(const MprModel& m, int view, ui::mpr::Point p) {
  const auto px = m.viewToPixel(view, p);
  EXPECT_TRUE(px.has_value());
  if (!px) return -9999;
  const auto img = m.image(view);
  return img[static_cast<std::size_t>((*px)[1]) * m.frame(view).width + (*px)[0]];
}

class MprModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::coreApp();
    model.setVolume(test::findingPhantom(kRow, kCol, kOrigin));
    for (int v = 0; v < ui::mpr::kViews; ++v) model.setViewport(v, 640, 480);
  }
  MprModel model;
};

TEST_F(MprModelTest, CrosshairOnTheFindingShowsItInEveryPlaneAtTheSpacingsPixel) {
  ASSERT_TRUE(model.hasVolume()) << model.refusal().toStdString();
  const auto f = findingVoxel();
  model.setCursor(f);
  for (int v = 0; v < 3; ++v) {
    const ui::mpr::Point c = model.crosshairInView(v);
    EXPECT_EQ(huAt(model, v, c), 60) << "view " << v << " does not show the finding under its crosshair";
  }
  // Coronal: the crosshair's pixel is ((X - Xmin) / 0.8, (Zmax - Z) / 2.5) from the spacing alone.
  const double zMax = kOrigin[2] + 39 * 2.5;
  const auto coronal = model.viewToPixel(1, model.crosshairInView(1));
  ASSERT_TRUE(coronal);
  EXPECT_EQ((*coronal)[0], static_cast<int>(std::lround((test::kFinding[0] - kOrigin[0]) / 0.8)));
  EXPECT_EQ((*coronal)[1], static_cast<int>(std::lround((zMax - test::kFinding[2]) / 2.5)));
  const auto sagittal = model.viewToPixel(2, model.crosshairInView(2));
  ASSERT_TRUE(sagittal);
  EXPECT_EQ((*sagittal)[0], static_cast<int>(std::lround((test::kFinding[1] - kOrigin[1]) / 0.7)));
  EXPECT_EQ((*sagittal)[1], static_cast<int>(std::lround((zMax - test::kFinding[2]) / 2.5)));
  // The patient position reported for the crosshair is the truth's, within half a voxel.
  const cv::Vec3 p = model.cursorPatient_mm();
  EXPECT_NEAR(p[0], test::kFinding[0], 0.4 + 1e-9);  // the finding sits exactly between two columns
  EXPECT_NEAR(p[1], test::kFinding[1], 0.35 + 1e-9);
  EXPECT_NEAR(p[2], test::kFinding[2], 1.25 + 1e-9);
}

TEST_F(MprModelTest, ClickingInOneViewMovesTheOthersPlanes) {
  const auto f = findingVoxel();
  model.setCursor({5, 5, 5});  // far from the finding
  EXPECT_EQ(huAt(model, 0, model.crosshairInView(0)), -800);
  QSignalSpy images(&model, &MprModel::imageChanged);
  // Click the finding in the coronal view through it: first put the coronal plane on the finding's row.
  model.setCursor({5, f[1], 5});
  images.clear();
  const cv::PlaneFrame& co = model.frame(1);
  const double x_mm = (co.displayCol(f[0]) + 0.5) * co.h_spacing_mm, y_mm = (co.displayRow(f[2]) + 0.5) * co.v_spacing_mm;
  model.pickAt(1, model.imageMmToView(1, x_mm, y_mm));
  EXPECT_EQ(model.cursor(), f);
  // The axial plane (depth z) and the sagittal plane (depth x) moved; the coronal one (depth y) did not.
  std::set<int> changed;
  for (const auto& args : images) changed.insert(args.at(0).toInt());
  EXPECT_TRUE(changed.count(0));
  EXPECT_TRUE(changed.count(2));
  EXPECT_FALSE(changed.count(1));
  EXPECT_EQ(huAt(model, 0, model.crosshairInView(0)), 60);
  EXPECT_EQ(huAt(model, 2, model.crosshairInView(2)), 60);
  // Scrolling the sagittal view moves the crosshair's x, which the axial crosshair shows.
  const double before = model.crosshairInView(0).x;
  model.scrollBy(2, 3);
  EXPECT_EQ(model.cursor()[0], f[0] + 3);
  EXPECT_NEAR(model.crosshairInView(0).x - before, 3 * 0.8 * model.pixelsPerMm(0), 1e-6);
}

TEST_F(MprModelTest, LinkAppliesWindowAndZoomToEveryViewUnlinkedOnlyToOne) {
  model.setLinked(true);
  model.applyPreset(1, 2);
  for (int v = 0; v < ui::mpr::kViews; ++v) EXPECT_EQ(model.state(v).window.level, 40.0);
  model.zoomAt(0, 2.0, {320, 240});
  for (int v = 0; v < ui::mpr::kViews; ++v) EXPECT_DOUBLE_EQ(model.state(v).zoom, 2.0);
  model.setLinked(false);
  model.applyPreset(2, 3);
  model.panBy(2, 50, 0);
  EXPECT_EQ(model.state(2).window.level, 500.0);
  EXPECT_EQ(model.state(1).window.level, 40.0);
  EXPECT_NE(model.state(2).centre_x_mm, model.state(1).centre_x_mm);
}

TEST_F(MprModelTest, SlabViewProjectsTheChosenThickness) {
  const auto f = findingVoxel();
  // Axial MIP 20 mm thick centred 7.5 mm (3 slices) above the finding still contains it; a single plane there not.
  model.setCursor({f[0], f[1], f[2] + 3});
  model.setSlab(cv::Plane::Axial, cv::SlabMode::Mip, 20.0);
  const auto range = model.planeRange(ui::mpr::kSlabView);
  EXPECT_EQ(range[1] - range[0] + 1, 8);
  EXPECT_EQ(huAt(model, ui::mpr::kSlabView, model.crosshairInView(ui::mpr::kSlabView)), 60);
  EXPECT_EQ(huAt(model, 0, model.crosshairInView(0)), -800);
  model.setSlab(cv::Plane::Axial, cv::SlabMode::MinIp, 20.0);
  EXPECT_EQ(huAt(model, ui::mpr::kSlabView, model.crosshairInView(ui::mpr::kSlabView)), -800);
}

TEST_F(MprModelTest, TiltedStackIsRefusedWithAMessage) {
  std::vector<cv::Vec3> positions;
  for (int z = 0; z < 40; ++z) positions.push_back({0.0, z * 2.5 * std::tan(0.35), z * 2.5});  // 20 degrees
  model.setVolume(test::findingPhantom(kRow, kCol, kOrigin), positions);
  EXPECT_FALSE(model.hasVolume());
  EXPECT_TRUE(model.refusal().contains("gantry-tilted")) << model.refusal().toStdString();
  EXPECT_TRUE(model.image(1).empty());
}

TEST(ComparisonModel, RegisteredSeriesScrollByPatientPositionOthersByTheOffset) {
  test::coreApp();
  ui::mpr::ComparisonModel cmp;
  ui::mpr::ComparedSeries a, b;
  a.volume = test::findingPhantom(kRow, kCol, kOrigin);
  // The same patient reconstructed mirrored and shifted: slice 0 is the top, and it covers another z range.
  b.volume = test::findingPhantom({-1, 0, 0}, {0, 1, 0}, {25.0, -17.0, -40.0});
  a.frame_of_reference_uid = b.frame_of_reference_uid = "1.2.3";
  cmp.setSeries(a, b);
  ASSERT_TRUE(cmp.registered());
  auto c = cmp.side(0).cursor();
  c[2] = 30;  // z = -110 + 75 = -35 mm
  cmp.side(0).setCursor(c);
  // b: z = -40 - 2.5 k  ->  k = 2 is -45, k = ... -35 is outside (above its top at -40): clamped, flagged.
  EXPECT_EQ(cmp.side(1).cursor()[2], 0);
  EXPECT_FALSE(cmp.partnerInside());
  c[2] = 10;  // -85 mm -> b's slice (85 - 40) / 2.5 = 18
  cmp.side(0).setCursor(c);
  EXPECT_EQ(cmp.side(1).cursor()[2], 18);
  EXPECT_TRUE(cmp.partnerInside());
  EXPECT_NEAR(cmp.side(1).cursorPatient_mm()[2], cmp.side(0).cursorPatient_mm()[2], 1e-6);
  // And back: scrolling the right side moves the left.
  auto d = cmp.side(1).cursor();
  d[2] = 20;  // -90 mm -> a's slice 8
  cmp.side(1).setCursor(d);
  EXPECT_EQ(cmp.side(0).cursor()[2], 8);

  // Different frames of reference: the centres line up, then a manual offset shifts the match.
  b.frame_of_reference_uid = "9.9.9";
  cmp.setSeries(a, b);
  EXPECT_FALSE(cmp.registered());
  // Offsets run along the right series' normal (-Z here): centres z -61.25 (a) and -88.75 (b) -> +27.5 mm.
  EXPECT_NEAR(cmp.offset_mm(), 27.5, 1e-6);
  cmp.setOffset_mm(0.0);
  cmp.side(0).setCursor({c[0], c[1], 10});  // -85 mm
  EXPECT_EQ(cmp.side(1).cursor()[2], 18);
  cmp.setOffset_mm(-5.0);  // 5 mm against b's normal = 5 mm headward: z -80, b's slice 16
  EXPECT_EQ(cmp.side(1).cursor()[2], 16);
}

}  // namespace
