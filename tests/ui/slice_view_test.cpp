// SliceView under Xvfb with synthetic volumes: what is drawn follows the model's mapping (radiological flips
// included), and mouse, wheel and keys reach the model as documented.
#include "ui/viewer/slice_view.h"

#include <QApplication>
#include <QTest>
#include <QWheelEvent>
#include <QWindow>
#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>

#include "tests/common/test_paths.h"
#include "tests/ui/qt_app.h"
#include "tests/ui/synthetic_volume.h"

using namespace lunglens;
using ui::viewer::SliceView;
using ui::viewer::ViewerModel;

namespace {

// A 64 x 48 slice whose HU rises left to right in voxel columns (-1000 .. 890) and a little down the rows, with a
// checkerboard of 4-voxel squares on top (+-150 HU) so that any misplacement shows.
std::shared_ptr<core::volume::Volume> ramp(core::volume::Vec3 row_dir) {
  auto v = test::makeSyntheticVolume(64, 48, 3, 1.0, 1.0, false, row_dir, {0, 1, 0});
  for (int z = 0; z < 3; ++z) {
    std::int16_t* s = v->mutableSlice(z);
    for (int y = 0; y < 48; ++y) {
      for (int x = 0; x < 64; ++x) {
        const int checker = ((x / 4 + y / 4) % 2) ? 150 : -150;
        s[y * 64 + x] = static_cast<std::int16_t>(-1000 + 30 * x + 2 * y + checker);
      }
    }
  }
  v->markAllReady();
  return v;
}

double meanGrey(const QImage& img, QRect r) {
  double sum = 0;
  for (int y = r.top(); y <= r.bottom(); ++y) {
    for (int x = r.left(); x <= r.right(); ++x) sum += qGray(img.pixel(x, y));
  }
  return sum / (r.width() * r.height());
}

// Correlation between the drawn view and core's windowed slice, sampled where the model puts each pixel. The view
// filters the texture linearly between pixel centres, so the expectation does the same.
// (dx, dy) shifts where the expectation is sampled, to show that a misplaced drawing would fail.
double drawnAgainstModel(const QImage& img, const ViewerModel& m, double dx = 0, double dy = 0) {
  const auto expected = core::volume::windowSlice(m.volume()->slice(m.slice()), m.volume()->geometry().voxelsPerSlice(),
                                                  m.window());
  const auto& layout = m.layout();
  auto displayed = [&](int c, int r) {
    c = std::clamp(c, 0, layout.cols() - 1);
    r = std::clamp(r, 0, layout.rows() - 1);
    const auto v = layout.displayedToVoxel(c, r);
    return static_cast<double>(expected[static_cast<std::size_t>(v.y) * layout.cols() + v.x]);
  };
  std::vector<double> a, b;
  // The overlay text sits along the edges: compare the inner part of the view only.
  for (int y = 60; y < img.height() - 60; y += 2) {
    for (int x = 40; x < img.width() - 40; x += 2) {
      if (!layout.viewToVoxel(m.camera(), img.width(), img.height(), {x + 0.5, y + 0.5})) continue;
      double x_mm = 0, y_mm = 0;
      layout.viewToImageMm(m.camera(), img.width(), img.height(), {x + 0.5 + dx, y + 0.5 + dy}, x_mm, y_mm);
      const double cx = x_mm / layout.columnSpacing_mm() - 0.5, cy = y_mm / layout.rowSpacing_mm() - 0.5;
      const int c0 = static_cast<int>(std::floor(cx)), r0 = static_cast<int>(std::floor(cy));
      const double fx = cx - c0, fy = cy - r0;
      const double top = displayed(c0, r0) * (1 - fx) + displayed(c0 + 1, r0) * fx;
      const double bottom = displayed(c0, r0 + 1) * (1 - fx) + displayed(c0 + 1, r0 + 1) * fx;
      a.push_back(qGray(img.pixel(x, y)));
      b.push_back(top * (1 - fy) + bottom * fy);
    }
  }
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) ma += a[i], mb += b[i];
  ma /= a.size();
  mb /= b.size();
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return sab / std::sqrt(saa * sbb);
}

// Every test runs on both surfaces (ui/common/vtk_view_widget.h): a native OpenGL window and a QOpenGLWidget.
class SliceViewTest : public ::testing::TestWithParam<ui::ViewSurfaceKind> {
 protected:
  void SetUp() override {
    test::guiApp();
    const ui::ViewSurfaceKind before = ui::VtkViewWidget::surfaceKind();
    ui::VtkViewWidget::setSurfaceKind(GetParam());
    view = std::make_unique<SliceView>(&model);
    ui::VtkViewWidget::setSurfaceKind(before);
    ASSERT_EQ(view->surface(), GetParam());
    view->resize(640, 480);
    view->show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(view.get()));
  }
  void open(std::shared_ptr<core::volume::Volume> v) {
    model.setVolume(std::move(v), {}, 1, core::volume::Window{2000, 0, ""});
    model.setViewport(view->width(), view->height());
  }
  QImage drawn() {
    QImage img = view->grabFramebuffer();
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info->name();
    std::replace(name.begin(), name.end(), '/', '-');
    img.save(QString::fromStdString((test::scratchDir("slice-view") / (name + ".png")).string()));
    return img;
  }
  void sendWheel(int delta, Qt::KeyboardModifiers mods = Qt::NoModifier) {
    const QPointF p(320, 240);
    QWheelEvent e(p, view->mapToGlobal(p), QPoint(), QPoint(0, delta), Qt::NoButton, mods, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view.get(), &e);
  }
  void drag(Qt::MouseButton button, QPoint from, QPoint to) {
    QTest::mousePress(view.get(), button, Qt::NoModifier, from);
    QMouseEvent move(QEvent::MouseMove, QPointF(to), view->mapToGlobal(QPointF(to)), Qt::NoButton, button,
                     Qt::NoModifier);
    QApplication::sendEvent(view.get(), &move);
    QTest::mouseRelease(view.get(), button, Qt::NoModifier, to);
  }

  ViewerModel model;
  std::unique_ptr<SliceView> view;
};

}  // namespace

TEST_P(SliceViewTest, DrawsTheSliceWhereTheModelSaysWithPatientLeftOnTheRight) {
  open(ramp({1, 0, 0}));
  const QImage img = drawn();
  ASSERT_EQ(img.size(), QSize(640, 480));
  EXPECT_GT(drawnAgainstModel(img, model), 0.995);
  // 64 x 48 mm in 640 x 480: the slice fills the view; low HU (dark) on the left, high on the right.
  EXPECT_LT(meanGrey(img, {60, 200, 40, 80}), meanGrey(img, {540, 200, 40, 80}) - 100);
}

TEST_P(SliceViewTest, RowsPointingToPatientRightAreMirroredOnScreen) {
  open(ramp({-1, 0, 0}));
  const QImage img = drawn();
  EXPECT_GT(drawnAgainstModel(img, model), 0.995);
  // Columns now run toward the patient's right, so the last column (high HU) shows on the screen's left.
  EXPECT_GT(meanGrey(img, {60, 200, 40, 80}), meanGrey(img, {540, 200, 40, 80}) + 100);
}

TEST_P(SliceViewTest, ZoomAndPanMoveTheDrawingWithTheModel) {
  open(ramp({1, 0, 0}));
  model.zoomAt(3.0, {200, 150});
  model.panBy(-40, 25);
  const QImage img = drawn();
  const double r = drawnAgainstModel(img, model);
  EXPECT_GT(r, 0.995);
  // The check is sharp: the same picture judged 8 px off (a quarter voxel at this zoom) scores clearly lower.
  EXPECT_LT(drawnAgainstModel(img, model, 8, 0), r - 0.005);
  EXPECT_LT(drawnAgainstModel(img, model, 0, 8), r - 0.005);
}

TEST_P(SliceViewTest, WheelAndKeysScrollToTheFeetAndTheHead) {
  open(ramp({1, 0, 0}));  // normal +Z: higher index = towards the head
  ASSERT_EQ(model.slice(), 1);
  sendWheel(-120);  // towards the user: down the body
  EXPECT_EQ(model.slice(), 0);
  sendWheel(+120);
  EXPECT_EQ(model.slice(), 1);
  QTest::keyClick(view.get(), Qt::Key_Up);
  EXPECT_EQ(model.slice(), 2);
  QTest::keyClick(view.get(), Qt::Key_PageDown);
  EXPECT_EQ(model.slice(), 0);
  sendWheel(+120, Qt::ControlModifier);  // Ctrl+wheel zooms instead
  EXPECT_EQ(model.slice(), 0);
  EXPECT_NEAR(model.camera().zoom, 1.1, 1e-9);
}

TEST_P(SliceViewTest, RightDragSetsTheWindowAndLeftDragPans) {
  open(ramp({1, 0, 0}));
  drag(Qt::RightButton, {300, 200}, {350, 190});
  EXPECT_DOUBLE_EQ(model.window().width, 2000 + 50 * ViewerModel::kWidthHuPerPixel);
  EXPECT_DOUBLE_EQ(model.window().level, 0 - 10 * ViewerModel::kLevelHuPerPixel);
  const double x0 = model.camera().centre_x_mm;
  drag(Qt::LeftButton, {300, 200}, {400, 200});  // 10 px per mm at fit: 10 mm
  EXPECT_NEAR(model.camera().centre_x_mm, x0 - 10.0, 1e-9);
}

TEST_P(SliceViewTest, TheHuUnderTheMouseIsShown) {
  open(ramp({1, 0, 0}));
  // Qt drops a move to where the cursor already is (an earlier test may have left it there): come from elsewhere.
  QTest::mouseMove(view.get(), QPoint(10, 10));
  QTest::mouseMove(view.get(), QPoint(255, 125));  // 10 px per voxel: voxel (25, 12)
  ASSERT_TRUE(model.huUnderCursor());
  EXPECT_EQ(*model.huUnderCursor(), -1000 + 30 * 25 + 2 * 12 + 150);  // square (6, 3): odd, +150
  EXPECT_NE(model.overlay().bottom_left.find("HU -76  (x 25, y 12)"), std::string::npos);
}

TEST_P(SliceViewTest, KeepsDrawingAfterMovingToAnotherWindow) {
  open(ramp({1, 0, 0}));
  ASSERT_GT(drawnAgainstModel(drawn(), model), 0.995);
  // A new top-level parent makes Qt destroy and recreate the GL context (as when a dock is floated).
  QWidget other;
  other.resize(640, 480);
  view->setParent(&other);
  view->resize(640, 480);
  other.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&other));
  EXPECT_GT(drawnAgainstModel(drawn(), model), 0.995);
  view->setParent(nullptr);  // the fixture deletes the view; `other` must not
}

TEST_P(SliceViewTest, OverlayTextCanBeHidden) {
  auto v = test::makeSyntheticVolume(64, 48, 3, 1.0, 1.0, false);
  for (int z = 0; z < 3; ++z) std::fill(v->mutableSlice(z), v->mutableSlice(z) + 64 * 48, std::int16_t{-1000});
  v->markAllReady();
  open(v);  // W2000 L0: air is grey 0
  auto brightest = [](const QImage& img, QRect r) {
    int hi = 0;
    for (int y = r.top(); y <= r.bottom(); ++y) {
      for (int x = r.left(); x <= r.right(); ++x) hi = std::max(hi, qGray(img.pixel(x, y)));
    }
    return hi;
  };
  const QRect bottomLeft(0, 420, 200, 60);  // "Im 2 / 3", "Pos ..."
  EXPECT_GT(brightest(drawn(), bottomLeft), 150);
  view->setOverlayVisible(false);
  EXPECT_LT(brightest(drawn(), bottomLeft), 10);
}

// What the user does reaches the native window, not the widget: the window hands it on, so the same wheel, keys and
// drags act, and a click gives the view the keyboard focus (the window itself never takes it, so the application's
// shortcuts keep working).
class SliceViewNativeWindow : public SliceViewTest {};

TEST_P(SliceViewNativeWindow, InputOnTheNativeWindowActsAsOnTheView) {
  QWindow* window = view->nativeWindow();
  ASSERT_NE(window, nullptr);
  EXPECT_TRUE(window->flags() & Qt::WindowDoesNotAcceptFocus);
  open(ramp({1, 0, 0}));
  ASSERT_EQ(model.slice(), 1);
  const QPointF p(320, 240);
  QWheelEvent wheel(p, window->mapToGlobal(p), QPoint(), QPoint(0, -120), Qt::NoButton, Qt::NoModifier,
                    Qt::NoScrollPhase, false);
  QApplication::sendEvent(window, &wheel);
  EXPECT_EQ(model.slice(), 0);
  QTest::keyClick(window, Qt::Key_Up);
  EXPECT_EQ(model.slice(), 1);
  QTest::mouseMove(window, QPoint(10, 10));  // Qt drops a move to where the cursor already is
  QTest::mouseMove(window, QPoint(255, 125));
  ASSERT_TRUE(model.huUnderCursor());
  EXPECT_EQ(*model.huUnderCursor(), -1000 + 30 * 25 + 2 * 12 + 150);
  const bool activeBefore = view->isActiveWindow();  // false under Xvfb: no window manager activated it
  view->clearFocus();
  const double x0 = model.camera().centre_x_mm;
  QTest::mousePress(window, Qt::LeftButton, Qt::NoModifier, QPoint(300, 200));
  EXPECT_EQ(view->window()->focusWidget(), view.get()) << "a click on the view gives it the keyboard";
  // ... and activates its window, as a click on any widget does: the window's shortcuts match only there.
  if (!activeBefore) {
    EXPECT_TRUE(QTest::qWaitForWindowActive(view.get())) << "the click left its window inactive";
  }
  QMouseEvent move(QEvent::MouseMove, QPointF(400, 200), window->mapToGlobal(QPointF(400, 200)), Qt::NoButton,
                   Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(window, &move);
  QTest::mouseRelease(window, Qt::LeftButton, Qt::NoModifier, QPoint(400, 200));
  EXPECT_NEAR(model.camera().centre_x_mm, x0 - 10.0, 1e-9);
}

INSTANTIATE_TEST_SUITE_P(Surface, SliceViewNativeWindow, ::testing::Values(ui::ViewSurfaceKind::Window),
                         [](const auto&) { return std::string("NativeWindow"); });
INSTANTIATE_TEST_SUITE_P(Surfaces, SliceViewTest,
                         ::testing::Values(ui::ViewSurfaceKind::Window, ui::ViewSurfaceKind::Widget),
                         [](const ::testing::TestParamInfo<ui::ViewSurfaceKind>& info) {
                           return std::string(info.param == ui::ViewSurfaceKind::Window ? "NativeWindow"
                                                                                        : "OpenGLWidget");
                         });
