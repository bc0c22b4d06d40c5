/**
 * The {@code nndl} command line that ties the modules together: {@code shapes} and
 * {@code backends} today; {@code conform}, {@code bench} and {@code train} arrive with the
 * conformance, reports and network issues.
 */
package dev.nndl.cli;
