#pragma once
// The score curve: each diagnosis class's probability against slice position, head at the left, the current
// slice marked, the covid threshold drawn, suspicious slices ticked along the bottom; slices not scored yet are
// gaps. With a lung analysis (LungModel), slices without lung are a greyed "no lung" band and the % of each
// slice's lung that is opacified (HU bands, not AI) is a filled curve on the same 0..1 = 0..100 % axis.
// A light QPainter widget bound to AiScoresModel. Click or drag to go to a slice.
#include <QPixmap>
#include <QTimer>
#include <QWidget>
#include <vector>

#include "ui/ai/ai_scores_model.h"

namespace lunglens::ui::ai {

class LungModel;

class ScoreCurve : public QWidget {
  Q_OBJECT
 public:
  explicit ScoreCurve(AiScoresModel* model, QWidget* parent = nullptr);

  // The head is drawn at the left: pass true when the highest slice index is the most headward.
  void setSliceOrder(bool highIndexAtLeft);
  void setLungModel(LungModel* lung);
  static QColor involvementColour();
  // The slice under widget x (clamped), or -1 without a series.
  int sliceAt(double x) const;
  double xOf(int slice) const;
  QRectF plotRect() const;
  QSize sizeHint() const override { return {320, 130}; }
  QSize minimumSizeHint() const override { return {160, 90}; }

 signals:
  void sliceRequested(int slice);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;

 private:
  void paintCurves(QPainter& p);  // everything but the current-slice marker

  void paintLung(QPainter& p, const QRectF& r);

  AiScoresModel* model_;
  LungModel* lung_ = nullptr;
  // The curves change with results, the marker with every scrolled slice: the curves are drawn into this cache
  // only when results, settings or size changed, so a scrolling frame just blits it and draws one line.
  QPixmap cache_;
  bool cacheDirty_ = true;
  QTimer streamTimer_;  // while results stream in, the curves are redrawn at most ~7 times a second
  bool highIndexAtLeft_ = false;
};

}  // namespace lunglens::ui::ai
