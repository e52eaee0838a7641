# The Debian package (`make package`, or `cpack -G DEB` in a build folder): lockstep and
# lockstep-cli in usr/bin, the lessons in usr/share/lockstep/lessons (found relative to the
# executables, so any prefix works), the desktop entry, AppStream metainfo and icon. Depends are
# computed by dpkg-shlibdeps from the libraries the executables really link.
install(FILES ${CMAKE_SOURCE_DIR}/LICENSE DESTINATION share/doc/lockstep RENAME copyright)

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "lockstep")
set(CPACK_PACKAGE_VENDOR "The Lockstep authors")
set(CPACK_PACKAGE_CONTACT "The Lockstep authors <lockstep@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "Lockstep runs real concurrent code (OS threads, locks, a model of CPython's GIL, fork, select/poll/epoll, "
    "coroutines) and animates what it does, for operating-systems and Python-concurrency courses.")
set(CPACK_RESOURCE_FILE_LICENSE "${CMAKE_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")
set(CPACK_DEBIAN_PACKAGE_SECTION "education")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/lockstep/lockstep")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The offscreen and xcb platform plugins are loaded at run time, so dpkg-shlibdeps cannot see them.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "fonts-noto-cjk")
include(CPack)
