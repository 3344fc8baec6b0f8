# share/www: the web interface's static files, served from web.root
# ($(pkgdatadir)/www once installed). List every file here.
wwwdir = $(pkgdatadir)/www
dist_www_DATA = share/www/index.html
