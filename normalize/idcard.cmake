# idcard.cmake: build rules of the resident-ID half of normalize/.
#
# The GB/T 2260 division-code table is compiled from data/gb2260.tsv by a
# small host program, tools/gen_regions.c, into ${XJ_GEN_DIR}/regions_table.c,
# which joins xj_normalize.  The generator is plain C with no dependencies,
# builds in well under a second and needs no network.
get_target_property(_xj_normalize_type xj_normalize TYPE)
if(_xj_normalize_type STREQUAL "INTERFACE_LIBRARY")
  return()
endif()

add_executable(xj_gen_regions ${CMAKE_CURRENT_SOURCE_DIR}/tools/gen_regions.c)
target_link_libraries(xj_gen_regions PRIVATE xj_warnings)

add_custom_command(
  OUTPUT ${XJ_GEN_DIR}/regions_table.c
  COMMAND xj_gen_regions ${CMAKE_CURRENT_SOURCE_DIR}/data/gb2260.tsv
          ${XJ_GEN_DIR}/regions_table.c
  DEPENDS xj_gen_regions ${CMAKE_CURRENT_SOURCE_DIR}/data/gb2260.tsv
  COMMENT "Generating the GB/T 2260 division-code table"
  VERBATIM)
target_sources(xj_normalize PRIVATE ${XJ_GEN_DIR}/regions_table.c)
