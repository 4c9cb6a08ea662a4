#include "core/pacs/http_client.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrl>

#include <exception>

#include "core/common/error.h"

namespace lunglens::core::pacs::detail {

HttpResponse httpRequest(const Node& node, const Credentials& credentials, const HttpRequest& request,
                         const CancelToken& cancel) {
  if (!QCoreApplication::instance()) throw InternalError("DICOMweb needs a QCoreApplication");
  const QUrl url(QString::fromStdString(request.url));
  if (!url.isValid() || (url.scheme() != "http" && url.scheme() != "https")) {
    throw InputError(node.label(), "'" + request.url + "' is not an http(s) URL");
  }
  QNetworkAccessManager manager;
  QNetworkRequest req(url);
  req.setTransferTimeout(node.timeout_s * 1000);  // no bytes for this long: the reply is aborted
  req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
  for (const auto& [k, v] : request.headers) req.setRawHeader(QByteArray::fromStdString(k), QByteArray::fromStdString(v));
  if (!credentials.empty()) {
    const QByteArray pair = QByteArray::fromStdString(credentials.username + ":" + credentials.password);
    req.setRawHeader("Authorization", "Basic " + pair.toBase64());
  }
  QNetworkReply* reply = request.method == "POST"
                             ? manager.post(req, QByteArray::fromStdString(request.body))
                             : manager.get(req);
  HttpResponse response;
  QEventLoop loop;
  // Exceptions must not cross Qt's event loop: a failing consumer is remembered, the reply aborted.
  std::exception_ptr consumerError;
  QObject::connect(reply, &QNetworkReply::readyRead, &loop, [&] {
    const QByteArray chunk = reply->readAll();
    if (consumerError) return;
    if (request.on_data && reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() / 100 == 2) {
      try {
        request.on_data(chunk.constData(), static_cast<std::size_t>(chunk.size()));
      } catch (...) {
        consumerError = std::current_exception();
        reply->abort();
      }
    } else {
      response.body.append(chunk.constData(), static_cast<std::size_t>(chunk.size()));
    }
  });
  QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
  // Cancel is a flag, not a signal: look at it a few times a second.
  QTimer poll;
  bool cancelled = false;
  QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
    if (cancel.cancelled()) {
      cancelled = true;
      reply->abort();
    }
  });
  poll.start(50);
  if (!reply->isFinished()) loop.exec();
  poll.stop();
  const QByteArray rest = reply->isOpen() ? reply->readAll() : QByteArray();
  response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
  if (consumerError) {
    delete reply;
    std::rethrow_exception(consumerError);
  }
  if (!rest.isEmpty()) {
    if (request.on_data && response.status / 100 == 2) {
      request.on_data(rest.constData(), static_cast<std::size_t>(rest.size()));
    } else {
      response.body.append(rest.constData(), static_cast<std::size_t>(rest.size()));
    }
  }
  response.content_type = reply->header(QNetworkRequest::ContentTypeHeader).toString().toStdString();
  const auto error = reply->error();
  const std::string errorText = reply->errorString().toStdString();
  delete reply;
  if (cancelled) throw Cancelled();
  const std::string where = url.host().toStdString() + ":" + std::to_string(url.port(url.scheme() == "https" ? 443 : 80));
  if (response.status == 401) {
    throw InputError(node.label(), "the node refused the user name or password (HTTP 401)");
  }
  if (response.status == 403) throw InputError(node.label(), "the node refused access for this user (HTTP 403)");
  switch (error) {
    case QNetworkReply::NoError:
      break;
    case QNetworkReply::ConnectionRefusedError:
      throw InputError(node.label(), "nothing answers at " + where +
                                         " (connection refused): check the URL's port and that the server is running");
    case QNetworkReply::HostNotFoundError:
      throw InputError(node.label(), "unknown host '" + url.host().toStdString() + "'");
    case QNetworkReply::OperationCanceledError:  // setTransferTimeout aborts this way
    case QNetworkReply::TimeoutError:
      throw InputError(node.label(), "no data from " + where + " for " + std::to_string(node.timeout_s) + " s");
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::ProtocolFailure:
      throw InputError(node.label(), "the node closed the connection during the transfer");
    default:
      if (response.status == 0) throw InputError(node.label(), "cannot reach " + where + ": " + errorText);
      break;  // an HTTP error status: the caller words it
  }
  return response;
}

std::string httpStatusMessage(const HttpResponse& response, const std::string& what) {
  std::string detail = response.body.substr(0, 200);
  for (char& c : detail) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return what + " failed with HTTP " + std::to_string(response.status) + (detail.empty() ? "" : ": " + detail);
}

}  // namespace lunglens::core::pacs::detail
