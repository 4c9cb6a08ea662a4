#include "ui/pacs/node_settings.h"

namespace lunglens::ui::pacs {

std::vector<core::pacs::Node> loadNodes(QSettings& settings) {
  std::vector<core::pacs::Node> nodes;
  const int n = settings.beginReadArray("pacs/nodes");
  for (int i = 0; i < n; ++i) {
    settings.setArrayIndex(i);
    core::pacs::Node node;
    node.name = settings.value("name").toString().toStdString();
    node.called_aet = settings.value("aet").toString().toStdString();
    node.host = settings.value("host", "127.0.0.1").toString().toStdString();
    node.port = settings.value("port", 104).toInt();
    node.calling_aet = settings.value("calling_aet", "LUNGLENS").toString().toStdString();
    node.dicomweb_url = settings.value("dicomweb").toString().toStdString();
    node.username = settings.value("username").toString().toStdString();
    node.timeout_s = settings.value("timeout_s", 30).toInt();
    if (!node.name.empty()) nodes.push_back(node);
  }
  settings.endArray();
  return nodes;
}

void saveNodes(QSettings& settings, const std::vector<core::pacs::Node>& nodes) {
  settings.remove("pacs/nodes");
  settings.beginWriteArray("pacs/nodes", static_cast<int>(nodes.size()));
  for (int i = 0; i < static_cast<int>(nodes.size()); ++i) {
    const auto& node = nodes[static_cast<std::size_t>(i)];
    settings.setArrayIndex(i);
    settings.setValue("name", QString::fromStdString(node.name));
    settings.setValue("aet", QString::fromStdString(node.called_aet));
    settings.setValue("host", QString::fromStdString(node.host));
    settings.setValue("port", node.port);
    settings.setValue("calling_aet", QString::fromStdString(node.calling_aet));
    settings.setValue("dicomweb", QString::fromStdString(node.dicomweb_url));
    settings.setValue("username", QString::fromStdString(node.username));
    settings.setValue("timeout_s", node.timeout_s);
  }
  settings.endArray();
  settings.sync();
}

}  // namespace lunglens::ui::pacs
