# xj_module(NAME <target> PUBLIC_DEPS ... PRIVATE_DEPS ...)
#
# Declares one layer of xueji as a static library made of every .c file of
# the calling folder, with include/ as its public header directory and the
# folder itself (private headers) plus the generated-table directory as
# private ones.  A layer with no sources yet becomes an INTERFACE library so
# that the layers above it can already name it.
function(xj_module)
  cmake_parse_arguments(M "" "NAME" "PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  file(GLOB _src CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.c)
  if(_src)
    add_library(${M_NAME} STATIC ${_src})
    target_include_directories(${M_NAME}
      PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
      PRIVATE ${CMAKE_CURRENT_SOURCE_DIR} ${XJ_GEN_DIR})
    target_link_libraries(${M_NAME} PUBLIC ${M_PUBLIC_DEPS} PRIVATE ${M_PRIVATE_DEPS} xj_warnings)
  else()
    add_library(${M_NAME} INTERFACE)
    target_include_directories(${M_NAME} INTERFACE ${CMAKE_CURRENT_SOURCE_DIR}/include)
    target_link_libraries(${M_NAME} INTERFACE ${M_PUBLIC_DEPS})
  endif()
endfunction()
