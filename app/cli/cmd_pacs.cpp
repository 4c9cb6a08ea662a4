// lunglens-cli pacs echo|find|get|send: the PACS client for scripts. A node is "AET@host:port" (DIMSE), a
// DICOMweb base URL ("http://host:8042/dicom-web"), or a name from --nodes FILE (see core/pacs/node.h). The
// DICOMweb password comes from the environment (LUNGLENS_PACS_PASSWORD), never from the command line, where any
// user could read it in the process list.
#include <algorithm>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "app/cli/args.h"
#include "app/cli/command_registry.h"
#include "app/cli/offscreen_gui.h"
#include "core/common/error.h"
#include "core/pacs/client.h"

namespace lunglens::cli {
namespace {

namespace fs = std::filesystem;
namespace pacs = core::pacs;

pacs::Connection connectionFrom(const Args& args, const std::string& spec) {
  pacs::Connection c;
  if (const auto file = args.value("nodes")) {
    c.node = pacs::findNode(pacs::readNodesFile(*file), spec);
  } else if (spec.rfind("http://", 0) == 0 || spec.rfind("https://", 0) == 0) {
    c.node.name = spec;
    c.node.dicomweb_url = spec;
  } else {
    c.node = pacs::parseDimseSpec(spec);
  }
  if (const auto aet = args.value("calling-aet")) c.node.calling_aet = *aet;
  c.node.timeout_s = args.intValue("timeout", c.node.timeout_s);
  if (c.node.timeout_s < 1) throw UsageError("--timeout must be at least 1 second");
  if (args.flag("web") && args.flag("dimse")) throw UsageError("--web and --dimse exclude each other");
  c.protocol = args.flag("web") || (!args.flag("dimse") && !c.node.hasDimse()) ? pacs::Protocol::DicomWeb
                                                                              : pacs::Protocol::Dimse;
  if (c.protocol == pacs::Protocol::DicomWeb) {
    ensureOffscreenGui();  // Qt Network needs an application object
    c.credentials.username = args.value("user").value_or(c.node.username);
    if (const char* pw = std::getenv("LUNGLENS_PACS_PASSWORD")) c.credentials.password = pw;
    if (!c.credentials.username.empty() && c.credentials.password.empty()) {
      throw UsageError("user '" + c.credentials.username + "' needs LUNGLENS_PACS_PASSWORD in the environment");
    }
  }
  return c;
}

std::string line(const pacs::Match& m) {
  std::ostringstream s;
  s << m.patient_id << "  " << m.patient_name << "  " << m.study_date << "  ";
  if (m.level == pacs::Level::Series) {
    s << "#" << m.series_number << " " << m.modality << " \"" << m.series_description << "\"";
  } else {
    s << m.modalities << " \"" << m.study_description << "\" acc=" << m.accession_number;
  }
  s << "  " << (m.instances >= 0 ? std::to_string(m.instances) : std::string("?")) << " images  " << m.study_uid;
  if (m.level == pacs::Level::Series) s << " " << m.series_uid;
  return s.str();
}

nlohmann::json toJson(const pacs::Match& m) {
  nlohmann::json j = {{"level", m.level == pacs::Level::Series ? "series" : "study"},
                      {"patient_id", m.patient_id}, {"patient_name", m.patient_name},
                      {"patient_birth_date", m.patient_birth_date}, {"study_uid", m.study_uid},
                      {"study_date", m.study_date}, {"study_time", m.study_time},
                      {"study_description", m.study_description}, {"accession_number", m.accession_number},
                      {"modalities", m.modalities}, {"instances", m.instances}};
  if (m.level == pacs::Level::Series) {
    j["series_uid"] = m.series_uid;
    j["series_number"] = m.series_number;
    j["series_description"] = m.series_description;
    j["modality"] = m.modality;
  }
  return j;
}

std::vector<fs::path> dicomFilesIn(const std::vector<std::string>& inputs) {
  std::vector<fs::path> files;
  for (const auto& in : inputs) {
    std::error_code ec;
    if (fs::is_directory(in, ec)) {
      std::vector<fs::path> found;
      for (const auto& e : fs::recursive_directory_iterator(in, ec)) {
        if (e.is_regular_file()) found.push_back(e.path());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(in, ec)) {
      files.emplace_back(in);
    } else {
      throw core::InputError(in, "no such file or folder");
    }
  }
  if (files.empty()) throw core::InputError("send", "no files to send");
  return files;
}

int runPacs(const Args& args) {
  const auto& pos = args.positionals();
  if (pos.size() < 2) throw UsageError("expected an action (echo, find, get, send) and a node");
  const std::string action = pos[0];
  const pacs::Connection c = connectionFrom(args, pos[1]);
  const char* via = pacs::protocolName(c.protocol);

  if (action == "echo") {
    if (pos.size() != 2) throw UsageError("echo takes only the node");
    pacs::echo(c);
    std::cout << c.node.label() << " answers (" << via << ")\n";
    return kOk;
  }
  if (action == "find") {
    if (pos.size() != 2) throw UsageError("find takes only the node; filters are options");
    pacs::Query q;
    q.level = args.flag("series-level") || args.value("study") ? pacs::Level::Series : pacs::Level::Study;
    q.patient_id = args.value("patient-id").value_or("");
    q.patient_name = args.value("patient-name").value_or("");
    q.accession_number = args.value("accession").value_or("");
    q.date_from = args.value("from").value_or("");
    q.date_to = args.value("to").value_or("");
    q.modality = args.value("modality").value_or("");
    q.description = args.value("description").value_or("");
    q.study_uid = args.value("study").value_or("");
    const auto matches = pacs::find(c, q);
    if (args.flag("json")) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& m : matches) list.push_back(toJson(m));
      std::cout << list.dump(2) << "\n";
    } else {
      for (const auto& m : matches) std::cout << line(m) << "\n";
      std::cerr << matches.size() << (q.level == pacs::Level::Series ? " series" : " studies") << " found (" << via
                << ")\n";
    }
    return kOk;
  }
  if (action == "get") {
    if (pos.size() != 2) throw UsageError("get takes only the node; give --study UID [--series UID] --out DIR");
    const std::string study = args.require("study");
    const std::string series = args.value("series").value_or("");
    const fs::path out = args.require("out");
    pacs::TransferOptions options;
    int last = -1;
    options.progress = [&](int done, int total) {
      // A line every tenth of the way (and the last), so a log shows it moving without one line per file.
      const int step = total > 0 ? std::max(1, total / 10) : 10;
      if (done == total || done / step != last / step) {
        std::cerr << "received " << done << " of " << (total >= 0 ? std::to_string(total) : std::string("?")) << "\n";
      }
      last = done;
    };
    const int n = pacs::retrieve(c, study, series, out, options);
    std::cout << "retrieved " << n << " files into " << out.string() << " (" << via << ")\n";
    return kOk;
  }
  if (action == "send") {
    if (pos.size() < 3) throw UsageError("send needs files or folders after the node");
    const auto files = dicomFilesIn({pos.begin() + 2, pos.end()});
    const int n = pacs::store(c, files);
    std::cout << "sent " << n << " files to " << c.node.label() << " (" << via << ")\n";
    return kOk;
  }
  throw UsageError("unknown action '" + action + "' (echo, find, get, send)");
}

const RegisterCommand reg{
    {"pacs", "echo|find|get|send NODE [FILE|DIR...]",
     "Query, retrieve from and send to a PACS node: NODE is AET@host:port (DIMSE: C-ECHO, C-FIND, C-GET, C-STORE), a "
     "DICOMweb base URL (QIDO-RS, WADO-RS, STOW-RS; password in LUNGLENS_PACS_PASSWORD), or a name in --nodes FILE. "
     "get writes a new folder only once every file has arrived; send takes files or folders after the node.",
     {{"nodes", "FILE", "the PACS nodes file that names NODE"},
      {"web", "", "use DICOMweb"},
      {"dimse", "", "use DIMSE"},
      {"user", "U", "DICOMweb user (password in LUNGLENS_PACS_PASSWORD)"},
      {"calling-aet", "AET", "our AE title (DIMSE)"},
      {"timeout", "S", "network timeout in seconds"},
      {"patient-id", "ID", "find: patient ID"},
      {"patient-name", "N", "find: patient name (wildcards * and ?)"},
      {"accession", "A", "find: accession number"},
      {"from", "YYYYMMDD", "find: first study date"},
      {"to", "YYYYMMDD", "find: last study date"},
      {"modality", "M", "find: modality"},
      {"description", "D", "find: study or series description"},
      {"study", "UID", "find: the series of this study; get: the study to retrieve"},
      {"series", "UID", "get: only this series"},
      {"series-level", "", "find: list series instead of studies"},
      {"json", "", "find: print JSON"},
      {"out", "DIR", "get: the new folder to write"}},
     &runPacs}};

}  // namespace
}  // namespace lunglens::cli
