//===- SharedLibrary.h - a library opened at run time -----------*- C++ -*-===//
//
// CUDA's libraries are opened with dlopen when hpt-run finds them, so that
// hpt-run builds and runs without them (runtime/gpu/CudaApi.h).
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_GPU_SHAREDLIBRARY_H
#define HPT_RUNTIME_GPU_SHAREDLIBRARY_H

#include <dlfcn.h>

#include <cstdlib>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace hpt::rt {

class SharedLibrary {
public:
  SharedLibrary() = default;
  /// Opens `path`; when that fails, valid() is false and `why` says so
  /// ("cannot load <role><path>: <dlerror>").
  SharedLibrary(const std::string &path, std::string &why, const std::string &role = "")
      : path(path) {
    handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char *error = dlerror();
      why = "cannot load " + role + path + (error ? std::string(": ") + error : "");
    }
  }
  /// The first of `paths` that opens; else one that is not valid(), with
  /// `why` saying why the last did not.
  static SharedLibrary openFirst(const std::vector<std::string> &paths, std::string &why) {
    SharedLibrary library;
    for (const std::string &path : paths)
      if ((library = SharedLibrary(path, why)).valid())
        break;
    return library;
  }
  ~SharedLibrary() {
    if (handle)
      dlclose(handle);
  }
  SharedLibrary(SharedLibrary &&other) noexcept
      : handle(std::exchange(other.handle, nullptr)), path(std::move(other.path)) {}
  SharedLibrary &operator=(SharedLibrary &&other) noexcept {
    std::swap(handle, other.handle);
    std::swap(path, other.path);
    return *this;
  }

  bool valid() const { return handle != nullptr; }
  const std::string &name() const { return path; }

  /// Sets `fn` to the first of `symbols` the library defines; when none,
  /// returns false with `why` naming the first.
  template <typename Fn>
  bool resolve(Fn &fn, std::string &why, std::initializer_list<const char *> symbols) {
    for (const char *symbol : symbols)
      if ((fn = reinterpret_cast<Fn>(dlsym(handle, symbol))))
        return true;
    why = path + " has no " + *symbols.begin();
    return false;
  }

private:
  void *handle = nullptr;
  std::string path;
};

/// The library $`variable` names, else `defaults` in order.
inline std::vector<std::string> libraryCandidates(const char *variable,
                                                  std::initializer_list<const char *> defaults) {
  const char *chosen = std::getenv(variable);
  if (chosen && *chosen)
    return {chosen};
  return {defaults.begin(), defaults.end()};
}

} // namespace hpt::rt

#endif // HPT_RUNTIME_GPU_SHAREDLIBRARY_H
