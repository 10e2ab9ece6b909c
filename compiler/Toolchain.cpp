//===- Toolchain.cpp - Finding libomp and the CUDA runtime at run time ----===//

#include "compiler/Toolchain.h"

#include "runtime/Module.h"

#include <cstdlib>
#include <dlfcn.h>
#include <link.h>
#include <mutex>

using namespace attnc;

llvm::Expected<std::string> attnc::loadLibomp() {
  static std::once_flag once;
  static std::string path, failure;
  std::call_once(once, [] {
    const char *fromEnv = std::getenv("ATTNC_LIBOMP");
    bool overridden = fromEnv && *fromEnv;
    std::string requested = overridden ? fromEnv : "libomp.so.5";
    // dlopen searches the RUNPATH of the object that calls it: this
    // library's, which names LLVM's library directory.
    void *handle = dlopen(requested.c_str(), RTLD_NOW | RTLD_GLOBAL);
    if (!handle) {
      const char *why = dlerror();
      failure = "cannot load the OpenMP runtime " + requested +
                (overridden ? " (from $ATTNC_LIBOMP)" : "") + ": " +
                (why ? why : "unknown dlopen error") +
                (overridden ? "" : "; install libomp-22-dev or set "
                                   "$ATTNC_LIBOMP to its libomp.so.5");
      return;
    }
    // The file it came from, for linking libraries against the same one.
    link_map *map = nullptr;
    if (dlinfo(handle, RTLD_DI_LINKMAP, &map) == 0 && map && map->l_name &&
        *map->l_name)
      path = map->l_name;
    else
      path = requested;
  });
  if (!failure.empty())
    return llvm::createStringError(failure);
  return path;
}

llvm::Expected<std::string> attnc::findCudaRuntime() {
  std::string path = cudaRuntimeLibrary();
  if (path.empty())
    return llvm::createStringError(
        "cannot find libattnc_cuda_runtime.so (set $ATTNC_CUDA_RUNTIME)");
  return path;
}
