#include "ui/pacs/keyring.h"

#include <qt6keychain/keychain.h>

namespace lunglens::ui::pacs {
namespace {
const QString kService = QStringLiteral("LungLens PACS");
}

Keyring::Keyring(QObject* parent) : QObject(parent) {}

void Keyring::read(const QString& key, std::function<void(Outcome, QString)> done) {
  auto* job = new QKeychain::ReadPasswordJob(kService, this);
  job->setAutoDelete(true);
  job->setInsecureFallback(false);
  job->setKey(key);
  connect(job, &QKeychain::Job::finished, this, [this, job, done = std::move(done)](QKeychain::Job*) {
    if (job->error() == QKeychain::NoError) {
      done(Outcome::Found, job->textData());
    } else if (job->error() == QKeychain::EntryNotFound) {
      done(Outcome::NotFound, {});
    } else {
      available_ = false;
      done(Outcome::NoKeyring, {});
    }
  });
  job->start();
}

void Keyring::write(const QString& key, const QString& password, std::function<void(bool)> done) {
  QKeychain::Job* job = nullptr;
  if (password.isEmpty()) {
    auto* del = new QKeychain::DeletePasswordJob(kService, this);
    job = del;
  } else {
    auto* w = new QKeychain::WritePasswordJob(kService, this);
    w->setTextData(password);
    job = w;
  }
  job->setAutoDelete(true);
  job->setInsecureFallback(false);
  job->setKey(key);
  connect(job, &QKeychain::Job::finished, this, [this, job, done = std::move(done)](QKeychain::Job*) {
    const bool ok = job->error() == QKeychain::NoError || job->error() == QKeychain::EntryNotFound;
    if (!ok) available_ = false;
    if (done) done(ok);
  });
  job->start();
}

}  // namespace lunglens::ui::pacs
