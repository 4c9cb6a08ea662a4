#pragma once
// The gallery: a filter bar (whose answer: AI, teacher or either; diagnosis; manifestation; score range; tag;
// heatmap) over a grid of slice thumbnails from every case, highest score first. Double-click opens the case at
// that slice in the viewer; "Present" starts presentation mode on the gallery's items.
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListView;

namespace lunglens::ui::teaching {

class GalleryModel;

class GalleryView : public QWidget {
  Q_OBJECT
 public:
  explicit GalleryView(GalleryModel* model, QWidget* parent = nullptr);

  GalleryModel& model() const { return *model_; }
  QListView& list() const { return *list_; }
  // Applies the filter bar to the model (also done on every change of the bar).
  void applyFilter();
  // Fills the filter bar; for tests and the command line. Empty strings mean "any".
  void setFilterControls(const QString& source, const QString& diagnosis, const QString& manifestation,
                         double min_score, bool heatmap);

 signals:
  // The series folder, the series UID and the 0-based slice to open in the viewer.
  void openRequested(const QString& folder, const QString& series_uid, int slice);
  void presentRequested(int row);

 private:
  void updateTags();
  void updateCount();

  GalleryModel* model_;
  QComboBox* source_;
  QComboBox* diagnosis_;
  QComboBox* manifestation_;
  QComboBox* tag_;
  QDoubleSpinBox* minScore_;
  QDoubleSpinBox* maxScore_;
  QCheckBox* heatmap_;
  QLabel* count_;
  QListView* list_;
  bool updating_ = false;
};

}  // namespace lunglens::ui::teaching
