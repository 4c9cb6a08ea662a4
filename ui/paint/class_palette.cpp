#include "ui/paint/class_palette.h"

namespace lunglens::ui::paint {

QColor classColour(const std::string& cls) {
  if (cls == "covid") return QColor(255, 96, 64);
  if (cls == "other_pneumonia") return QColor(250, 200, 60);
  if (cls == "normal") return QColor(90, 190, 130);
  return QColor(150, 170, 255);
}

}  // namespace lunglens::ui::paint
