"""confluence"""
