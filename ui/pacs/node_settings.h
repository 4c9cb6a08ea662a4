#pragma once
// The PACS node list in the user's settings (QSettings group "pacs/nodes"). Never a password: those live in the
// desktop keyring (keyring.h).
#include <QSettings>
#include <vector>

#include "core/pacs/node.h"

namespace lunglens::ui::pacs {

std::vector<core::pacs::Node> loadNodes(QSettings& settings);
void saveNodes(QSettings& settings, const std::vector<core::pacs::Node>& nodes);

}  // namespace lunglens::ui::pacs
