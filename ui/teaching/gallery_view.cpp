#include "ui/teaching/gallery_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QMenu>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QVBoxLayout>
#include <filesystem>

#include "ui/teaching/gallery_model.h"
#include "ui/teaching/teacher_label_dialog.h"

namespace lunglens::ui::teaching {

namespace {

// Items: shown text, data (the class name; empty = any).
QComboBox* classCombo(QWidget* parent, const std::vector<std::pair<QString, QString>>& items) {
  auto* combo = new QComboBox(parent);
  for (const auto& [text, value] : items) combo->addItem(text, value);
  return combo;
}

void selectData(QComboBox* combo, const QString& value) {
  const int i = combo->findData(value);
  combo->setCurrentIndex(i < 0 ? 0 : i);
}

}  // namespace

GalleryView::GalleryView(GalleryModel* model, QWidget* parent) : QWidget(parent), model_(model) {
  source_ = classCombo(this, {{tr("AI or teacher"), "either"}, {tr("AI"), "ai"}, {tr("Teacher"), "teacher"}});
  diagnosis_ = classCombo(this, {{tr("Any diagnosis"), ""},
                                 {tr("COVID-19"), "covid"},
                                 {tr("Other pneumonia"), "other_pneumonia"},
                                 {tr("Normal"), "normal"}});
  manifestation_ = classCombo(this, {{tr("Any manifestation"), ""},
                                     {tr("Ground-glass opacity"), "ggo"},
                                     {tr("Consolidation"), "consolidation"},
                                     {tr("Fibrotic streaks"), "fibrotic_streaks"}});
  tag_ = new QComboBox(this);
  minScore_ = new QDoubleSpinBox(this);
  maxScore_ = new QDoubleSpinBox(this);
  for (QDoubleSpinBox* s : {minScore_, maxScore_}) {
    s->setRange(0.0, 1.0);
    s->setSingleStep(0.05);
    s->setDecimals(2);
  }
  minScore_->setPrefix(tr("score ≥ "));
  maxScore_->setPrefix(tr("≤ "));
  maxScore_->setValue(1.0);
  heatmap_ = new QCheckBox(tr("Heatmap"), this);
  count_ = new QLabel(this);
  auto* present = new QPushButton(tr("Present"), this);
  present->setToolTip(tr("Presentation mode on these slices (F5)"));
  auto* refresh = new QPushButton(tr("Refresh"), this);

  list_ = new QListView(this);
  list_->setModel(model_);
  list_->setViewMode(QListView::IconMode);
  list_->setResizeMode(QListView::Adjust);
  list_->setMovement(QListView::Static);
  list_->setUniformItemSizes(true);
  list_->setWordWrap(true);
  list_->setSpacing(6);
  list_->setIconSize(QSize(model_->thumbnailSize(), model_->thumbnailSize()));
  list_->setGridSize(QSize(model_->thumbnailSize() + 24, model_->thumbnailSize() + 64));
  list_->setSelectionMode(QAbstractItemView::SingleSelection);

  auto* bar = new QHBoxLayout;
  for (QWidget* w : std::initializer_list<QWidget*>{source_, diagnosis_, manifestation_, tag_, minScore_, maxScore_,
                                                    heatmap_})
    bar->addWidget(w);
  bar->addStretch(1);
  bar->addWidget(count_);
  bar->addWidget(refresh);
  bar->addWidget(present);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(bar);
  layout->addWidget(list_, 1);

  for (QComboBox* c : {source_, diagnosis_, manifestation_, tag_})
    connect(c, &QComboBox::currentIndexChanged, this, [this] { applyFilter(); });
  for (QDoubleSpinBox* s : {minScore_, maxScore_})
    connect(s, &QDoubleSpinBox::valueChanged, this, [this] { applyFilter(); });
  connect(heatmap_, &QCheckBox::toggled, model_, &GalleryModel::setHeatmap);
  connect(refresh, &QPushButton::clicked, this, [this] {
    updateTags();
    model_->refresh();
  });
  connect(present, &QPushButton::clicked, this, [this] {
    const QModelIndex current = list_->currentIndex();
    emit presentRequested(current.isValid() ? current.row() : 0);
  });
  connect(list_, &QListView::activated, this, [this](const QModelIndex& index) {
    const auto& row = model_->item(index.row());
    emit openRequested(QString::fromStdString(std::filesystem::path(row.file).parent_path().string()),
                       QString::fromStdString(row.series_uid), row.slice);
  });
  // The teacher's work on a slice: label, tag, key image.
  list_->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(list_, &QListView::customContextMenuRequested, this, [this](const QPoint& at) {
    const QModelIndex index = list_->indexAt(at);
    if (!index.isValid()) return;
    const int row = index.row();
    const auto& item = model_->item(row);
    const QString where = QString("%1, slice %2").arg(QString::fromStdString(item.study_label)).arg(item.slice + 1);
    QMenu menu(this);
    menu.addAction(tr("Teacher's Label…"), this, [this, row, where] {
      TeacherLabelDialog dialog(model_->item(row).teacher.value_or(core::library::TeacherLabel{}),
                                tr("Teacher's label — %1").arg(where), this);
      if (dialog.exec() == QDialog::Accepted) model_->setTeacherLabel(row, dialog.label());
    });
    menu.addAction(tr("Add Tag…"), this, [this, row, where] {
      const QString tag = QInputDialog::getText(this, tr("Tag — %1").arg(where), tr("Tag"));
      if (tag.trimmed().isEmpty()) return;
      model_->addTag(row, tag.trimmed().toStdString());
      updateTags();
    });
    menu.addAction(tr("Mark as Key Image…"), this, [this, row, where] {
      bool ok = false;
      const QString note = QInputDialog::getText(this, tr("Key image — %1").arg(where), tr("Note"),
                                                 QLineEdit::Normal, QString(), &ok);
      if (ok) model_->setKeyImage(row, note.toStdString());
    });
    menu.addSeparator();
    menu.addAction(tr("Open in Viewer"), this, [this, index] { emit list_->activated(index); });
    menu.addAction(tr("Present from Here"), this, [this, row] { emit presentRequested(row); });
    menu.exec(list_->viewport()->mapToGlobal(at));
  });
  connect(model_, &GalleryModel::refreshed, this, &GalleryView::updateCount);
  updateTags();
  updateCount();
}

void GalleryView::updateTags() {
  updating_ = true;
  const QString current = tag_->currentData().toString();
  tag_->clear();
  tag_->addItem(tr("Any tag"), QString());
  for (const auto& t : model_->tags()) tag_->addItem(QString::fromStdString(t), QString::fromStdString(t));
  selectData(tag_, current);
  updating_ = false;
}

void GalleryView::updateCount() { count_->setText(tr("%n slice(s)", nullptr, model_->rowCount())); }

void GalleryView::applyFilter() {
  if (updating_) return;
  core::library::QueryFilter f = model_->filter();
  const QString source = source_->currentData().toString();
  f.source = source == "ai"        ? core::library::QueryFilter::Source::Ai
             : source == "teacher" ? core::library::QueryFilter::Source::Teacher
                                   : core::library::QueryFilter::Source::Either;
  f.diagnosis = diagnosis_->currentData().toString().toStdString();
  f.manifestation = manifestation_->currentData().toString().toStdString();
  f.tag = tag_->currentData().toString().toStdString();
  f.min_score = minScore_->value() > 0.0 ? std::optional<double>(minScore_->value()) : std::nullopt;
  f.max_score = maxScore_->value() < 1.0 ? std::optional<double>(maxScore_->value()) : std::nullopt;
  model_->setFilter(f);
}

void GalleryView::setFilterControls(const QString& source, const QString& diagnosis, const QString& manifestation,
                                    double min_score, bool heatmap) {
  updating_ = true;
  selectData(source_, source.isEmpty() ? "either" : source);
  selectData(diagnosis_, diagnosis);
  selectData(manifestation_, manifestation);
  minScore_->setValue(min_score);
  heatmap_->setChecked(heatmap);
  updating_ = false;
  applyFilter();
}

}  // namespace lunglens::ui::teaching
