#pragma once
// GDCM as packaged by Debian keeps its assert()s, and a few malformed files trip them (e.g. pydicom's
// DICOMDIR-nooffset aborts inside gdcm::Reader). Bad input must never end the process, so every call into GDCM's
// readers runs through this guard.
#include <functional>

namespace lunglens::core::dicom {

// Runs `work` on this thread. If it calls abort() (a failed assert inside GDCM), unwinds back here with
// siglongjmp and returns false; the objects `work` had on its stack are abandoned, not destroyed (a small leak per
// damaged file, which is the price of not crashing). Returns true when `work` finished normally. Exceptions from
// `work` propagate as usual. Aborts outside a guarded call still end the process.
bool runGuardedAgainstAbort(const std::function<void()>& work);

}  // namespace lunglens::core::dicom
