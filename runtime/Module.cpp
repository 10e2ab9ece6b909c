//===- Module.cpp - Loading compiled attnc code and calling it ------------===//

#include "runtime/Module.h"

#include "runtime/CudaRuntime.h"

#include <algorithm>
#include <cstdlib>
#include <dlfcn.h>

using namespace attnc;

Module::Module() = default;

Module::~Module() {
  if (library)
    dlclose(library);
}

const Signature &Module::signature() const {
  for (const Signature &s : sigs.entries)
    if (s.function == sigs.defaultEntry)
      return s;
  return sigs.entries.front();
}

Status Module::bindEntries(
    const std::function<void *(const std::string &)> &lookup) {
  entries.clear();
  for (const Signature &s : sigs.entries) {
    std::string symbol = "_mlir_ciface_" + s.function;
    void *fn = lookup(symbol);
    if (!fn)
      return error("missing entry point ", symbol);
    entries.push_back(fn);
  }
  return Status();
}

Status Module::checkInputs(const Signature &, Span<const Tensor>) {
  return Status();
}

Result<std::unique_ptr<Module>> Module::load(const std::string &path) {
  void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *why = dlerror();
    return error(path, ": cannot load: ", why ? why : "unknown dlopen error");
  }
  std::unique_ptr<Module> result(new Module());
  result->library = handle;
  auto *json = static_cast<const char *>(dlsym(handle, "attnc_signature"));
  if (!json)
    return error(path, ": not an attnc library (no attnc_signature symbol)");
  Result<ModuleSignature> signature = ModuleSignature::fromJson(json);
  if (!signature)
    return error(path, ": ", signature.status().message());
  result->sigs = std::move(*signature);
  if (Status e = result->bindEntries([&](const std::string &symbol) {
        return dlsym(handle, symbol.c_str());
      }))
    return error(path, ": ", e.message());
  if (result->isCuda()) {
    // dlopen ran the library's constructors, which loaded its kernels; with
    // no device they failed, and the device's error says why.
    if (Status e = cuda::ensureDevice()) {
      (void)cuda::takeError();
      return error(path, ": ", e.message());
    }
    if (Status e = cuda::takeError())
      return error(path, ": loading the GPU kernels: ", e.message());
  }
  return result;
}

Result<const Signature &> Module::checkedEntry(std::string_view entry,
                                               Span<const Tensor> inputs) {
  Result<const Signature &> found = sigs.find(entry);
  if (!found)
    return found.takeError();
  const Signature &sig = *found;
  if (Status e = sig.check(inputs))
    return e;
  if (Status e = checkInputs(sig, inputs))
    return e;
  return sig;
}

Result<std::vector<Tensor>>
Module::callOnDevice(const Signature &sig, Span<const Tensor> deviceInputs) {
  if (Status e = cuda::ensureDevice())
    return e;
  size_t index = &sig - sigs.entries.data();
  Result<std::vector<Tensor>> results =
      invokeEntry(entries[index], sig, deviceInputs,
                  [](void *p) { (void)cuda::free(p); });
  // A failed call may still have returned (null) results; they are dropped.
  if (Status e = cuda::takeError())
    return error("@", sig.function, ": ", e.message());
  return results;
}

Result<std::vector<Tensor>>
Module::runOnDevice(std::string_view entry, Span<const Tensor> deviceInputs) {
  if (!isCuda())
    return error("runOnDevice needs a module compiled for CUDA; this one "
                 "runs on the CPU");
  Result<const Signature &> sig = checkedEntry(entry, deviceInputs);
  if (!sig)
    return sig.takeError();
  return callOnDevice(*sig, deviceInputs);
}

Result<std::vector<Tensor>> Module::run(std::string_view entry,
                                        Span<const Tensor> inputs) {
  Result<const Signature &> sig = checkedEntry(entry, inputs);
  if (!sig)
    return sig.takeError();
  if (Status e = sig->checkIndices(inputs))
    return e;
  if (!isCuda()) {
    size_t index = &*sig - sigs.entries.data();
    return invokeEntry(entries[index], *sig, inputs);
  }
  std::vector<Tensor> deviceInputs;
  for (const Tensor &t : inputs) {
    Result<Tensor> copy = toDevice(t);
    if (!copy)
      return copy.takeError();
    deviceInputs.push_back(std::move(*copy));
  }
  Result<std::vector<Tensor>> deviceResults = callOnDevice(*sig, deviceInputs);
  if (!deviceResults)
    return deviceResults.takeError();
  std::vector<Tensor> results;
  for (const Tensor &t : *deviceResults) {
    Result<Tensor> copy = toHost(t);
    if (!copy)
      return copy.takeError();
    results.push_back(std::move(*copy));
  }
  return results;
}

Result<Tensor> attnc::toDevice(const Tensor &host) {
  if (Status e = cuda::ensureDevice())
    return e;
  Result<void *> memory = cuda::alloc(host.numBytes());
  if (!memory)
    return memory.takeError();
  Tensor device = Tensor::adopt(host.dtype(), host.shape(), *memory,
                                [](void *p) { (void)cuda::free(p); });
  if (host.numBytes() != 0)
    if (Status e = cuda::copyToDevice(*memory, host.data(), host.numBytes()))
      return e;
  return device;
}

Result<Tensor> attnc::toHost(const Tensor &device) {
  Tensor host(device.dtype(), device.shape());
  if (device.numBytes() != 0)
    if (Status e =
            cuda::copyToHost(host.data(), device.data(), device.numBytes()))
      return e;
  return host;
}

std::string attnc::pathOfObjectContaining(const void *address) {
  Dl_info info;
  if (!dladdr(address, &info) || !info.dli_fname)
    return "";
  return info.dli_fname;
}

std::string attnc::cudaRuntimeLibrary() {
  if (const char *fromEnv = std::getenv("ATTNC_CUDA_RUNTIME"); fromEnv && *fromEnv)
    return fromEnv;
  return pathOfObjectContaining(reinterpret_cast<const void *>(&mgpuModuleLoad));
}
