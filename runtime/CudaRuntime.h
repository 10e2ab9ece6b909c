//===- CudaRuntime.h - attnc's CUDA runtime: the device and the mgpu* calls ===//
//
// Code compiled for CUDA (MLIR's gpu-to-llvm lowering) calls the mgpu*
// functions declared at the end of this file; they live in the shared
// library attnc_cuda_runtime, which also holds the C++ API below, so that
// compiled code and its host share one device, one context and one error.
//
//   if (attnc::Status e = attnc::cuda::ensureDevice())
//     return e;                       // "no CUDA driver: ..." and so on
//   ... run compiled code ...
//   if (attnc::Status e = attnc::cuda::takeError())
//     return e;                       // "mgpuLaunchKernel: cuLaunchKernel
//                                     //  failed: CUDA_ERROR_... (...)"
//
// The driver (libcuda.so.1, or $ATTNC_LIBCUDA) is opened with dlopen on
// first use; nothing from CUDA is linked or included at build time.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_CUDARUNTIME_H
#define ATTNC_RUNTIME_CUDARUNTIME_H

#include "runtime/Status.h"

#include <cstddef>
#include <cstdint>
#include <string>

/// Marks the entry points compiled code resolves by name, so that they stay
/// visible whatever visibility the library is built with.
#define ATTNC_CUDA_EXPORT __attribute__((visibility("default")))

namespace attnc::cuda {

/// Opens the driver, initializes it and makes the primary context of the
/// device (device 0 unless compiled code called mgpuSetDefaultDevice first)
/// current on the calling thread. Cheap after the first success. The error
/// says why there is no device: "no CUDA driver: ..." (libcuda cannot be
/// loaded, or it is the toolkit's stub library), "no usable CUDA driver:
/// ..." (an entry point is missing), "no CUDA device: ..." (the driver sees
/// none), or "CUDA initialization failed: ..." with the driver's result.
/// A failure is remembered: later calls give the same error.
ATTNC_CUDA_EXPORT Status ensureDevice();

/// Returns and clears the first failure of an mgpu* call since the last
/// takeError (success if there was none). The message names the mgpu* call,
/// the driver call and its result. While a failure is pending, mgpu* calls
/// that do work return null or do nothing, and calls that release handles
/// still release them.
ATTNC_CUDA_EXPORT Status takeError();

/// The device's name ("NVIDIA H100 80GB HBM3"), or "" when ensureDevice()
/// fails.
ATTNC_CUDA_EXPORT std::string deviceName();

/// The device's compute capability as major * 10 + minor (90 for sm_90), or
/// 0 when ensureDevice() fails.
ATTNC_CUDA_EXPORT int computeCapability();

/// Allocates `bytes` of device memory (null for 0 bytes).
ATTNC_CUDA_EXPORT attnc::Result<void *> alloc(size_t bytes);

/// Frees memory from alloc() or from compiled code's mgpuMemAlloc; null is
/// accepted.
ATTNC_CUDA_EXPORT Status free(void *device);

/// Copies host memory to the device; returns when the copy is done.
ATTNC_CUDA_EXPORT Status copyToDevice(void *device, const void *host,
                                           size_t bytes);

/// Copies device memory to the host; returns when the copy is done. Work
/// still running on the compiled code's streams is not waited for: call
/// synchronize() first when some may be.
ATTNC_CUDA_EXPORT Status copyToHost(void *host, const void *device,
                                         size_t bytes);

/// Waits for all work on the device, on every stream; reports a failure of
/// earlier asynchronous work (a kernel's illegal address, for instance).
ATTNC_CUDA_EXPORT Status synchronize();

/// For tests only, with no other thread using the runtime: forgets the
/// device, the driver, the remembered failures and the pending error, so
/// that the next call opens the driver again (reading $ATTNC_LIBCUDA again).
/// A driver whose cuInit succeeded stays loaded in the process (its threads
/// may still run its code), but is no longer used.
ATTNC_CUDA_EXPORT void resetForTesting();

} // namespace attnc::cuda

// The entry points of MLIR 22's gpu-to-llvm lowering, with the argument
// types it passes (intptr_t for index, int64_t for i64). Handles are the
// driver's (CUmodule, CUfunction, CUstream, CUevent) as void *. An i8 or
// i16 argument is taken as uint32_t and narrowed inside: the IR declares it
// without zeroext, so the register bits above it are unspecified. None of
// these report errors: failures go to takeError().
extern "C" {
/// Loads a cubin or fatbin (`size` bytes; the driver reads the size from
/// the image) into the device's context.
ATTNC_CUDA_EXPORT void *mgpuModuleLoad(void *data, size_t size);
/// JIT-compiles and loads null-terminated PTX at ptxas level `optLevel`
/// (0-4); a failure carries the JIT's log.
ATTNC_CUDA_EXPORT void *mgpuModuleLoadJIT(void *data, int optLevel);
ATTNC_CUDA_EXPORT void mgpuModuleUnload(void *module);
ATTNC_CUDA_EXPORT void *mgpuModuleGetFunction(void *module, const char *name);
/// Launches a kernel. A zero grid or block extent launches nothing (an empty
/// problem); extents beyond 32 bits and dynamic shared memory beyond the
/// device's per-block limit are errors. `paramCount` is not needed by the
/// driver.
ATTNC_CUDA_EXPORT void mgpuLaunchKernel(void *function, intptr_t gridX,
                                        intptr_t gridY, intptr_t gridZ,
                                        intptr_t blockX, intptr_t blockY,
                                        intptr_t blockZ, int32_t sharedBytes,
                                        void *stream, void **params,
                                        void **extra, size_t paramCount);
/// Launches a kernel in thread-block clusters (sm_90; needs CUDA 12).
ATTNC_CUDA_EXPORT void
mgpuLaunchClusterKernel(void *function, intptr_t clusterX, intptr_t clusterY,
                        intptr_t clusterZ, intptr_t gridX, intptr_t gridY,
                        intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                        intptr_t blockZ, int32_t sharedBytes, void *stream,
                        void **params, void **extra);
/// Creates a stream that does not synchronize with the legacy default one.
ATTNC_CUDA_EXPORT void *mgpuStreamCreate();
ATTNC_CUDA_EXPORT void mgpuStreamDestroy(void *stream);
ATTNC_CUDA_EXPORT void mgpuStreamSynchronize(void *stream);
ATTNC_CUDA_EXPORT void mgpuStreamWaitEvent(void *stream, void *event);
ATTNC_CUDA_EXPORT void *mgpuEventCreate();
ATTNC_CUDA_EXPORT void mgpuEventDestroy(void *event);
ATTNC_CUDA_EXPORT void mgpuEventSynchronize(void *event);
ATTNC_CUDA_EXPORT void mgpuEventRecord(void *event, void *stream);
/// Allocates device memory, or managed memory when `hostShared` (an i8 in
/// the IR) is nonzero; null for 0 bytes.
ATTNC_CUDA_EXPORT void *mgpuMemAlloc(uint64_t bytes, void *stream,
                                     uint32_t hostShared);
ATTNC_CUDA_EXPORT void mgpuMemFree(void *ptr, void *stream);
/// Copies `bytes` between any two of host and device memory (the driver
/// tells which from the addresses), in stream order.
ATTNC_CUDA_EXPORT void mgpuMemcpy(void *dst, void *src, size_t bytes,
                                  void *stream);
/// Fills `count` 16-bit elements (the value is an i16 in the IR).
ATTNC_CUDA_EXPORT void mgpuMemset16(void *dst, uint32_t value, size_t count,
                                    void *stream);
/// Fills `count` 32-bit elements.
ATTNC_CUDA_EXPORT void mgpuMemset32(void *dst, uint32_t value, size_t count,
                                    void *stream);
/// Chooses the device; allowed before the device is first used.
ATTNC_CUDA_EXPORT void mgpuSetDefaultDevice(int32_t device);
/// Page-locks the host memory of a contiguous ranked memref (the
/// descriptor MLIR passes) of elements of `elementBytes`.
ATTNC_CUDA_EXPORT void mgpuMemHostRegisterMemRef(int64_t rank,
                                                 void *descriptor,
                                                 int64_t elementBytes);
ATTNC_CUDA_EXPORT void mgpuMemHostUnregisterMemRef(int64_t rank,
                                                   void *descriptor,
                                                   int64_t elementBytes);
/// Encodes a TMA descriptor (CUtensorMap) for the ranked memref with a box
/// of `boxDims` (outermost first) and returns its device copy, which kernels
/// read. `dataType`, `interleave`, `swizzle`, `l2Promotion` and `oobFill` are
/// the driver's enum values, as nvgpu's lowering passes them. Identical
/// descriptors share one device copy, kept until the process ends (the
/// lowering never releases them).
ATTNC_CUDA_EXPORT void *
mgpuTensorMapEncodeTiledMemref(int64_t rank, void *descriptor,
                               int64_t dataType, int64_t interleave,
                               int64_t swizzle, int64_t l2Promotion,
                               int64_t oobFill, int64_t *boxDims);
}

#endif // ATTNC_RUNTIME_CUDARUNTIME_H
