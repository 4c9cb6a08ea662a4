#pragma once
// The colour of each diagnosis class, one definition for every view that colours by class (score curve, bars).
#include <QColor>
#include <string>

namespace lunglens::ui::paint {

// COVID-19 red-orange, other pneumonia amber, normal green; any other class (a custom model's) pale blue.
QColor classColour(const std::string& cls);

}  // namespace lunglens::ui::paint
