#pragma once
// The AI panel's out-of-distribution banner: when the model's guard says the open series is unlike its training
// data, a plain warning ("scores withheld") and a greyed "Show scores anyway" choice that keeps the warning up.
// Also says when the model has no guard at all. Binds to AiScoresModel only.
#include <QWidget>

class QCheckBox;
class QLabel;

namespace lunglens::ui::ai {

class AiScoresModel;

class OodBanner : public QWidget {
  Q_OBJECT
 public:
  explicit OodBanner(AiScoresModel* model, QWidget* parent = nullptr);

  QString warningText() const;
  bool showAnywayChecked() const;
  void setShowAnyway(bool show);  // as the reader's click does

 private:
  void refresh();

  AiScoresModel* model_;
  QLabel* warning_;
  QCheckBox* showAnyway_;
  QLabel* noGuard_;
};

}  // namespace lunglens::ui::ai
