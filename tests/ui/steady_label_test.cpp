// SteadyLabel: a new text of the same height repaints the label without asking its layout to measure again (the
// AI dock's per-slice lines); a text that needs another line does ask, and the label is drawn.
#include "ui/common/steady_label.h"

#include <QApplication>
#include <QTest>
#include <QVBoxLayout>
#include <gtest/gtest.h>

#include "tests/ui/qt_app.h"

using namespace lunglens;

namespace {

// Counts the layout requests its watched widget (the label's parent) receives.
class LayoutRequests : public QObject {
 public:
  int count = 0;

 protected:
  bool eventFilter(QObject*, QEvent* event) override {
    if (event->type() == QEvent::LayoutRequest) ++count;
    return false;
  }
};

}  // namespace

TEST(SteadyLabel, SameHeightTextRepaintsWithoutRelayoutAndANewLineRelayouts) {
  test::guiApp();
  QWidget panel;
  auto* layout = new QVBoxLayout(&panel);
  auto* label = new ui::SteadyLabel;
  layout->addWidget(label);
  layout->addStretch();
  panel.resize(240, 300);
  label->setText("This slice: 18.6 % involved");
  panel.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
  QApplication::processEvents();
  const int oneLine = label->height();
  EXPECT_GE(oneLine, label->fontMetrics().lineSpacing());
  EXPECT_LT(oneLine, 2 * label->fontMetrics().lineSpacing());

  LayoutRequests requests;
  panel.installEventFilter(&requests);
  for (int i = 0; i < 20; ++i) label->setText(QString("This slice: %1 % involved").arg(10 + i * 0.5, 0, 'f', 1));
  QApplication::processEvents();
  EXPECT_EQ(requests.count, 0) << "a same-height text re-laid out the panel";
  EXPECT_EQ(label->height(), oneLine);
  EXPECT_EQ(label->text(), "This slice: 19.5 % involved");

  label->setText("This slice: 19.5 % of its lung involved (ground glass 13.0 %, consolidation 5.7 %), a long line");
  QApplication::processEvents();
  EXPECT_GE(requests.count, 1) << "a text that wraps onto more lines must ask for room";
  EXPECT_GE(label->height(), 2 * label->fontMetrics().lineSpacing()) << "the label did not grow";

  // It is drawn: the text's pixels differ from the background.
  const QImage shot = label->grab().toImage();
  const QRgb background = shot.pixel(shot.width() - 1, shot.height() - 1);
  int ink = 0;
  for (int y = 0; y < shot.height(); ++y)
    for (int x = 0; x < shot.width(); ++x) ink += shot.pixel(x, y) != background;
  EXPECT_GT(ink, 100);

  // Back to one line: the label shrinks. Then a larger font: its measured height is stale and must be measured again.
  label->setText("This slice: 3.0 % involved");
  QApplication::processEvents();
  EXPECT_EQ(label->height(), oneLine) << "the label did not shrink back";
  QFont big = label->font();
  big.setPointSizeF(big.pointSizeF() * 2.5);
  label->setFont(big);
  QApplication::processEvents();
  EXPECT_GE(label->height(), QFontMetrics(big).lineSpacing()) << "the height was kept from the old font";
}
