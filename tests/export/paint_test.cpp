// ui/paint: composing exported images (offscreen QGuiApplication, no display needed).
#include <gtest/gtest.h>

#include <QFont>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QImageReader>
#include <cmath>
#include <fstream>

#include "core/common/error.h"
#include "ui/paint/annotation_painter.h"
#include "ui/paint/export_composer.h"
#include "ui/paint/heatmap_layer.h"
#include "ui/paint/image_file.h"
#include "tests/common/test_paths.h"

using namespace lunglens;
using namespace lunglens::ui::paint;
using core::annotation::Annotation;
using core::annotation::AnnotationKind;
namespace fs = std::filesystem;

namespace {

class OffscreenGui : public ::testing::Environment {
 public:
  void SetUp() override {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "test_export_paint";
    static char* argv[] = {name, nullptr};
    app_ = new QGuiApplication(argc, argv);
  }
  void TearDown() override { delete app_; }

 private:
  QGuiApplication* app_ = nullptr;
};
const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new OffscreenGui);

// A 128 x 128 synthetic chest: air outside, a 40 HU body disc of radius 50 with a -850 HU "lung" inside.
struct Phantom {
  std::vector<std::int16_t> hu;
  core::volume::Geometry geometry;
  Phantom() {
    geometry.cols = geometry.rows = 128;
    geometry.slices = 1;
    geometry.spacing_mm = {0.75, 0.75, 5.0};
    hu.assign(128 * 128, -1000);
    for (int r = 0; r < 128; ++r)
      for (int c = 0; c < 128; ++c) {
        const double d = std::hypot(c - 64.0, r - 64.0);
        if (d < 50) hu[r * 128 + c] = 40;
        if (std::hypot(c - 50.0, r - 64.0) < 14) hu[r * 128 + c] = -850;
      }
  }
};

core::dicom::SeriesInfo seriesWithPhi() {
  core::dicom::SeriesInfo s;
  s.study_uid = "1.2.3";
  s.series_uid = "1.2.3.4";
  s.patient_name = "Doe^Jane";
  s.patient_id = "PID-0042";
  s.patient_birth_date = "19610203";
  s.patient_sex = "F";
  s.accession_number = "ACC-777";
  s.institution = "St Example Hospital";
  s.study_date = "20200315";
  s.study_description = "Chest CT";
  s.series_description = "Lung 1mm";
  s.series_number = 3;
  return s;
}

core::dicom::SeriesInfo withoutPhi(core::dicom::SeriesInfo s) {
  s.patient_name = s.patient_id = s.patient_birth_date = s.patient_sex = s.accession_number = s.institution = "";
  s.study_date = s.study_time = "";
  s.study_description = s.series_description = "";  // free text: may name the patient (issue 18)
  return s;
}

ExportView viewOf(const Phantom& p) {
  ExportView v;
  v.hu = p.hu.data();
  v.geometry = p.geometry;
  v.slice = 0;
  v.slice_count = 1;
  v.window = core::volume::lungWindow();
  v.series = seriesWithPhi();
  return v;
}

int differingPixels(const QImage& a, const QImage& b, QRect* where = nullptr) {
  int n = 0;
  QRect box;
  for (int y = 0; y < a.height(); ++y)
    for (int x = 0; x < a.width(); ++x)
      if (a.pixel(x, y) != b.pixel(x, y)) ++n, box |= QRect(x, y, 1, 1);
  if (where) *where = box;
  return n;
}

std::string fileBytes(const fs::path& f) {
  std::ifstream in(f, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

}  // namespace

TEST(Paint, SizesAt1x2xAndGiven) {
  const Phantom p;
  const ExportView v = viewOf(p);
  const ExportLayout one = exportLayout(v, {1.0});
  EXPECT_EQ(one.slice.size(), QSizeF(128, 128)) << "1x: one pixel per voxel";
  const ExportLayout two = exportLayout(v, {2.0});
  EXPECT_EQ(two.slice.size(), QSizeF(256, 256));
  const QImage given = composeExportImage(v, {1.0, 1200, 700});
  EXPECT_EQ(given.size(), QSize(1200, 700));
  const ExportLayout g = exportLayout(v, {1.0, 1200, 700});
  EXPECT_LE(g.slice.right() + g.panel.width(), 1200.5);
  EXPECT_LE(g.slice.bottom(), g.footer.top() + 0.5);
  EXPECT_EQ(composeExportImage(v, {2.0}).size(), two.canvas);
  // Non-square voxels keep their physical shape.
  Phantom wide;
  wide.geometry.spacing_mm = {1.0, 0.5, 5.0};
  EXPECT_EQ(exportLayout(viewOf(wide), {1.0}).slice.size(), QSizeF(256, 128));
  EXPECT_THROW(exportLayout(viewOf(p), {0.0}), core::InputError);
}

TEST(Paint, AnonymizedUnlessAsked) {
  const Phantom p;
  ExportView v = viewOf(p);
  const QImage hidden = composeExportImage(v);
  // Without PHI, the image does not depend on the PHI fields at all.
  ExportView blank = v;
  blank.series = withoutPhi(v.series);
  EXPECT_EQ(differingPixels(hidden, composeExportImage(blank)), 0);
  // With PHI, the overlay's patient block changes, and nothing else.
  v.include_phi = true;
  const QImage shown = composeExportImage(v);
  QRect changed;
  EXPECT_GT(differingPixels(hidden, shown, &changed), 200);
  const QRectF block = exportLayout(v, {}).patientText;
  EXPECT_TRUE(block.toAlignedRect().adjusted(-3, -3, 3, 3).contains(changed))
      << "changed pixels outside the block: " << changed.x() << "," << changed.y() << " " << changed.width() << "x"
      << changed.height() << " vs " << block.x() << "," << block.y() << " " << block.width() << "x" << block.height();
  EXPECT_NE(overlayTopLeft(v.series, true).find("Doe Jane"), std::string::npos);
  EXPECT_EQ(overlayTopLeft(v.series, false).find("Doe"), std::string::npos);
  // The free-text descriptions too (issue 18: the anonymized export still drew them).
  EXPECT_EQ(overlayTopLeft(v.series, false).find("Chest CT"), std::string::npos);
  EXPECT_EQ(overlayTopLeft(v.series, false).find("Lung 1mm"), std::string::npos);
  EXPECT_NE(overlayTopLeft(v.series, true).find("Chest CT"), std::string::npos);
  EXPECT_NE(overlayTopLeft(v.series, false).find("Series "), std::string::npos);

  // The written file carries no PHI in any text chunk, with or without PHI burned into the pixels.
  const fs::path dir = test::scratchDir("paint-phi");
  writeImageFile(shown, dir / "phi.png", false);
  writeImageFile(hidden, dir / "anon.png", false);
  writeImageFile(hidden, dir / "anon.jpg", false);
  for (const auto* name : {"phi.png", "anon.png", "anon.jpg"}) {
    const std::string bytes = fileBytes(dir / name);
    for (const std::string phi : {"Doe", "Jane", "PID-0042", "19610203", "ACC-777", "Example Hospital"}) {
      EXPECT_EQ(bytes.find(phi), std::string::npos) << phi << " in " << name;
    }
    QImageReader reader(QString::fromStdString((dir / name).string()));
    const QImage back = reader.read();
    ASSERT_FALSE(back.isNull());
    for (const QString& key : back.textKeys()) {
      EXPECT_TRUE(key == "Software" || key == "Disclaimer") << key.toStdString();
    }
  }
}

TEST(Paint, RadiologicalOrientationFlipsColumnsWhenRowsRunToPatientRight) {
  Phantom p;
  std::fill(p.hu.begin(), p.hu.end(), -1000);
  for (int r = 40; r < 88; ++r)
    for (int c = 0; c < 10; ++c) p.hu[r * 128 + c] = 1500;  // a bright bar at the first columns
  ExportView v = viewOf(p);
  v.window = core::volume::boneWindow();
  auto brightAt = [&](const ExportView& view, double fx) {
    const QImage img = composeExportImage(view);
    const ExportLayout L = exportLayout(view, {});
    const QPoint at(static_cast<int>(L.slice.left() + fx * L.slice.width()), static_cast<int>(L.slice.center().y() + 18));  // below the letters
    return qGray(img.pixel(at)) > 200;
  };
  EXPECT_TRUE(brightAt(v, 0.03));  // row_dir +X: column 0 (patient right) on the image left
  EXPECT_FALSE(brightAt(v, 0.97));
  v.geometry.row_dir = {-1, 0, 0};
  v.geometry.normal = {0, 0, -1};
  EXPECT_FALSE(brightAt(v, 0.03));
  EXPECT_TRUE(brightAt(v, 0.97)) << "row_dir -X: column 0 is patient left, shown on the image right";
}

TEST(Paint, RegionShowsTheViewersZoomedPart) {
  Phantom p;
  std::fill(p.hu.begin(), p.hu.end(), -1000);
  for (int r = 0; r < 128; ++r)
    for (int c = 64; c < 74; ++c) p.hu[r * 128 + c] = 1500;  // a bright bar at columns 64..73 (48..55.5 mm)
  ExportView v = viewOf(p);
  v.window = core::volume::boneWindow();
  v.region_mm = QRectF(48.0, 0.0, 48.0, 96.0);  // the right half, 2:1 tall: the bar is at the region's left edge
  const ExportLayout L = exportLayout(v, {});
  EXPECT_EQ(L.slice.size(), QSizeF(64, 128)) << "1x of a 48 x 96 mm region at 0.75 mm";
  EXPECT_DOUBLE_EQ(L.slice_full.width(), 128.0);
  EXPECT_DOUBLE_EQ(L.slice_full.left(), L.slice.left() - 64.0);
  const QImage img = composeExportImage(v);
  const int y = static_cast<int>(L.slice.top() + 100);
  EXPECT_GT(qGray(img.pixel(static_cast<int>(L.slice.left() + 4), y)), 150) << "the bar at the region's left";
  EXPECT_LT(qGray(img.pixel(static_cast<int>(L.slice.left() + 30), y)), 60);
  // The left half ends where the bar begins: clipping keeps the bar out of the panel beside it.
  v.region_mm = QRectF(0.0, 0.0, 48.0, 96.0);
  const ExportLayout left = exportLayout(v, {});
  const QImage leftImg = composeExportImage(v);
  EXPECT_LT(qGray(leftImg.pixel(static_cast<int>(left.slice.right() + 3), y)), 60) << "drawn outside the region";
  EXPECT_LT(qGray(leftImg.pixel(static_cast<int>(left.slice.right() - 3), y)), 60);
  v.region_mm = QRectF(0, 0, 0, 10);
  EXPECT_THROW(exportLayout(v, {}), core::InputError);
}

TEST(Paint, PlacementMapsVoxelCentresBothWays) {
  SlicePlacement place{QRectF(10, 20, 200, 100), 100, 50, {true, false}};
  const QPointF p = place.toPainter({0, 0});
  EXPECT_DOUBLE_EQ(p.x(), 10 + 199.0);  // flipped: voxel 0's centre is 1 px from the right edge (2 px per voxel)
  EXPECT_DOUBLE_EQ(p.y(), 21.0);
  const auto back = place.toVoxel(place.toPainter({12.25, 33.5}));
  EXPECT_NEAR(back.x, 12.25, 1e-9);
  EXPECT_NEAR(back.y, 33.5, 1e-9);
}

TEST(Paint, HeatmapColoursTheBodyButNotTheAirAround) {
  const Phantom p;
  ExportView v = viewOf(p);
  const QImage plain = composeExportImage(v);
  v.heatmap = core::inference::HeatmapGrid{4, 4, std::vector<float>(16, 0.9f)};
  const QImage heat = composeExportImage(v);
  const ExportLayout L = exportLayout(v, {});
  auto px = [&](const QImage& img, int c, int r) {  // voxel centre -> canvas pixel
    return img.pixel(static_cast<int>(L.slice.left() + c + 0.5), static_cast<int>(L.slice.top() + r + 0.5));
  };
  EXPECT_EQ(px(plain, 3, 64), px(heat, 3, 64)) << "air outside the body stays uncoloured";
  EXPECT_EQ(px(plain, 64, 120), px(heat, 64, 120));
  EXPECT_NE(px(plain, 80, 64), px(heat, 80, 64)) << "tissue gets heat";
  EXPECT_NE(px(plain, 50, 64), px(heat, 50, 64)) << "enclosed lung air keeps its heat";
  const QColor c = QColor(px(heat, 80, 64));
  EXPECT_GT(c.red(), c.blue()) << "0.9 is hot, not a grey wash";
  // Low values draw nothing at all.
  EXPECT_EQ(heatmapColour(0.05f).alpha(), 0);
  EXPECT_GT(heatmapColour(1.0f).alpha(), heatmapColour(0.5f).alpha());
}

TEST(Paint, AnnotationsAreDrawnWithTheirMeasurements) {
  const Phantom p;
  ExportView v = viewOf(p);
  const QImage plain = composeExportImage(v);
  v.annotations.push_back({1, AnnotationKind::Length, "1.2.3.4", 0, "", {{20, 100}, {100, 100}}, ""});
  v.annotations.push_back({2, AnnotationKind::Ellipse, "1.2.3.4", 0, "", {{70, 50}, {90, 70}}, ""});
  const QImage drawn = composeExportImage(v);
  const ExportLayout L = exportLayout(v, {});
  const QColor mid = drawn.pixel(static_cast<int>(L.slice.left() + 60.5), static_cast<int>(L.slice.top() + 100.5));
  EXPECT_GT(mid.red(), 200);
  EXPECT_GT(mid.green(), 150);
  EXPECT_LT(mid.blue(), 100) << "the length line is drawn in yellow";
  EXPECT_GT(differingPixels(plain, drawn), 300);
  const MeasuredSlice measured{p.hu.data(), 128, 128, 0.75, 0.75};
  EXPECT_EQ(annotationLabel(v.annotations[0], measured), "60.0 mm");  // 80 voxels x 0.75 mm
  EXPECT_NE(annotationLabel(v.annotations[1], measured).find("mean 40 HU"), std::string::npos);
}

// Issue 18: on an annotated export a length's label lay over a region's statistics.
TEST(Paint, ALengthLabelNeverCoversARegionsStatistics) {
  const Phantom p;
  const std::vector<Annotation> annotations = {
      {1, AnnotationKind::Ellipse, "1.2.3.4", 0, "", {{40, 40}, {70, 60}}, ""},
      {2, AnnotationKind::Length, "1.2.3.4", 0, "", {{30, 80}, {70, 42}}, ""},  // its label starts at the ROI's
      {3, AnnotationKind::Arrow, "1.2.3.4", 0, "", {{72, 38}, {90, 20}}, "here"}};
  QImage image(512, 512, QImage::Format_ARGB32);
  image.fill(Qt::black);
  QPainter painter(&image);
  const SlicePlacement place{QRectF(0, 0, 512, 512), 128, 128, {}};
  const MeasuredSlice measured{p.hu.data(), 128, 128, 0.75, 0.75};
  const std::vector<QRectF> boxes = paintAnnotations(painter, annotations, place, measured, {});
  painter.end();
  ASSERT_EQ(boxes.size(), annotations.size());
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    EXPECT_FALSE(boxes[i].isEmpty()) << i;
    for (std::size_t j = 0; j < i; ++j) EXPECT_FALSE(boxes[i].intersects(boxes[j])) << i << " covers " << j;
  }
  // A label with room keeps its place beside its shape.
  EXPECT_DOUBLE_EQ(boxes[0].top(), place.toPainter({40, 40}).y());
}

TEST(Paint, ScoresBoxAndFooterAppearWithAiResults) {
  const Phantom p;
  ExportView v = viewOf(p);
  const QImage without = composeExportImage(v, {2.0});
  core::exporting::AiResults r;
  r.classes = {"covid", "pneumonia", "normal"};
  r.model = {"demo-net", "1.2", "synthetic", true};
  r.slices = {{0, "", {0.7, 0.2, 0.1}, {}}};
  ASSERT_TRUE(scoresBoxFor(r, 0));
  EXPECT_FALSE(scoresBoxFor(r, 1));
  v.scores = scoresBoxFor(r, 0);
  EXPECT_EQ(v.scores->classes[0].name, "COVID-19");
  const QImage with = composeExportImage(v, {2.0});
  const ExportLayout L = exportLayout(v, {2.0});
  QRect changed;
  EXPECT_GT(differingPixels(without, with, &changed), 1000);
  EXPECT_TRUE(L.panel.united(L.footer).toAlignedRect().adjusted(-2, -2, 2, 2).contains(changed));
}

// Issue 12: with a lung analysis the scores box has one more line, "CT severity score N / 24 · lungs X mL", drawn
// inside the box; without one the box is as before.
TEST(Paint, ScoresBoxShowsTheLungSummaryWhenGiven) {
  const Phantom p;
  core::exporting::AiResults r;
  r.classes = {"covid", "pneumonia", "normal"};
  r.model = {"demo-net", "1.2", "synthetic", true};
  r.slices = {{0, "", {0.7, 0.2, 0.1}, {}}};
  core::lung::LungAnalysis a;
  a.severity_score = 9;
  a.both.volume_ml = 5250.4;
  const auto plain = scoresBoxFor(r, 0);
  const auto withLung = scoresBoxFor(r, 0, &a);
  ASSERT_TRUE(plain && withLung);
  EXPECT_TRUE(plain->lung.empty());
  EXPECT_EQ(withLung->lung, "CT severity score 9 / 24 \u00b7 lungs 5250 mL");
  EXPECT_GT(scoresBoxHeight(*withLung, 300, 1.0), scoresBoxHeight(*plain, 300, 1.0));
  r.ood = {true, 1, 1, true};  // withheld AI scores: the density measurement stays
  EXPECT_EQ(scoresBoxFor(r, 0, &a)->lung, withLung->lung);

  // Drawn, in its own (green) colour, inside the box: count green pixels of each box painted alone.
  const auto greenPixels = [](const ScoresBox& box) {
    QImage image(320, 400, QImage::Format_RGB32);
    image.fill(Qt::black);
    QPainter painter(&image);
    const double h = paintScoresBox(painter, box, QPointF(10, 10), 300, 1.0);
    painter.end();
    int n = 0, outside = 0;
    for (int y = 0; y < image.height(); ++y)
      for (int x = 0; x < image.width(); ++x) {
        const QColor c = image.pixelColor(x, y);
        if (c.green() > 150 && c.green() > c.red() + 60 && c.green() > c.blue() + 30) ++(y < 10 + h ? n : outside);
      }
    EXPECT_EQ(outside, 0);
    return n;
  };
  EXPECT_EQ(greenPixels(*plain), 0);
  EXPECT_GT(greenPixels(*withLung), 30);
  // And the composed export shows it (the panel grows with the box).
  ExportView v = viewOf(p);
  v.scores = plain;
  const QImage before = composeExportImage(v, {2.0});
  v.scores = withLung;
  EXPECT_NE(before, composeExportImage(v, {2.0}));
}

// A small export (a 256-px phantom at 1x) cut "Trained on synthetic phantoms" and the lung line short with an
// ellipsis: the reading-aid facts must stay whole, wrapped onto more lines, and the box grows to hold them.
TEST(Paint, ANarrowScoresBoxWrapsItsFactsInsteadOfCuttingThem) {
  core::exporting::AiResults r;
  r.classes = {"covid", "other_pneumonia", "normal"};
  r.model = {"lunglens-demo-diagnosis", "1.1.0", "synthetic", true};
  r.slices = {{0, "", {0.7, 0.2, 0.1}, {}}};
  r.verdict.class_name = "covid";
  core::lung::LungAnalysis a;
  a.severity_score = 10;
  a.both.volume_ml = 4012.6;
  const auto box = scoresBoxFor(r, 0, &a);
  ASSERT_TRUE(box);
  const double narrow = 170, wide = 600;
  const auto lines = scoresBoxFooter(*box, narrow, 1.0);
  QString joined;
  for (const QString& line : lines) {
    EXPECT_FALSE(line.contains(QChar(0x2026))) << line.toStdString();
    QFont font("DejaVu Sans");
    font.setPixelSize(12);  // the box's font at scale 1
    EXPECT_LE(QFontMetricsF(font).horizontalAdvance(line), narrow - 16);
    joined += (joined.isEmpty() ? "" : " ") + line;
  }
  EXPECT_TRUE(joined.contains("Trained on synthetic phantoms")) << joined.toStdString();
  EXPECT_TRUE(joined.contains(QString::fromStdString(box->lung))) << joined.toStdString();
  EXPECT_GT(lines.size(), scoresBoxFooter(*box, wide, 1.0).size());
  EXPECT_GT(scoresBoxHeight(*box, narrow, 1.0), scoresBoxHeight(*box, wide, 1.0));
}

TEST(Paint, WritesAtomicallyAndNeverOverwritesSilently) {
  const Phantom p;
  const QImage img = composeExportImage(viewOf(p));
  const fs::path dir = test::scratchDir("paint-write");
  writeImageFile(img, dir / "a.png", false);
  const std::string first = fileBytes(dir / "a.png");
  EXPECT_THROW(writeImageFile(QImage(8, 8, QImage::Format_RGB32), dir / "a.png", false), core::InputError);
  EXPECT_EQ(fileBytes(dir / "a.png"), first);
  // Unwritable place: a path under a regular file (root ignores permission bits, this cannot be bypassed).
  std::ofstream(dir / "file") << "x";
  try {
    writeImageFile(img, dir / "file" / "b.png", false);
    FAIL() << "wrote under a regular file";
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("b.png"), std::string::npos) << "the message names the file";
  }
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"a.png", "file"})) << "no temporary or partial file left";
  EXPECT_THROW(imageFormatFor("x.gif"), core::InputError);
  EXPECT_EQ(imageFormatFor("X.JPEG"), "jpg");
  const auto rgb = toRgbImage(img);
  EXPECT_EQ(rgb.rgb.size(), static_cast<std::size_t>(img.width() * img.height() * 3));
}
